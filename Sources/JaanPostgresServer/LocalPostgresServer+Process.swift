import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension LocalPostgresServer {
    /// Runs one PostgreSQL binary to completion, as ``Configuration/systemUser`` when this process is root.
    ///
    /// The binary's output goes to a file, so a chatty child can never block on a full pipe, and the
    /// wait is a termination handler: no thread of the caller blocks.
    @discardableResult
    func run(_ executable: String, _ arguments: [String], step: String) async throws -> String {
        let process = Process()
        if let runAs {
            let launcher = Binaries.runuser
            if let launcher {
                process.executableURL = URL(fileURLWithPath: launcher)
                process.arguments = ["-u", runAs, "--", executable] + arguments
            } else {
                process.executableURL = URL(fileURLWithPath: "/bin/su")
                let command = ([executable] + arguments).map(Self.shellQuoted).joined(separator: " ")
                process.arguments = ["-s", "/bin/sh", runAs, "-c", command]
            }
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        let outputPath = socketDirectory + "/\(step.replacingOccurrences(of: " ", with: "-")).out"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        defer { try? output.close() }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        process.currentDirectoryURL = URL(fileURLWithPath: socketDirectory)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: outputPath)
        guard status == 0 else {
            throw LocalPostgresServerError.commandFailed(step: step, status: status, output: text)
        }
        return text
    }

    /// Hands the folders to the server's account when this process is root.
    func prepareOwnership(root: String?) throws {
        guard let runAs else { return }
        guard let account = getpwnam(runAs) else { throw LocalPostgresServerError.unknownUser(runAs) }
        let uid = account.pointee.pw_uid
        let gid = account.pointee.pw_gid
        var paths = [dataDirectory, socketDirectory]
        if let root { paths.insert(root, at: 0) }
        for path in paths where chown(path, uid, gid) != 0 {
            throw LocalPostgresServerError.cannotChangeOwner(path: path, errno: errno)
        }
        // A reused data folder may hold files made by an earlier run as another user.
        if let enumerator = FileManager.default.enumerator(atPath: dataDirectory) {
            for case let relative as String in enumerator {
                _ = chown(dataDirectory + "/" + relative, uid, gid)
            }
        }
    }

    static func shellQuoted(_ argument: String) -> String {
        "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func makeTemporaryDirectory(prefix: String) throws -> String {
        var template = Array((NSTemporaryDirectory() + "/" + prefix + "XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw LocalPostgresServerError.cannotCreateFolder(errno: errno) }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        // mkdtemp makes the folder private to its creator; the server's account must be able to enter it.
        chmod(path, 0o755)
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
