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
    /// The binary's output goes to a file, so a chatty child can never block on a full pipe.
    /// `posix_spawn` rather than Foundation's `Process`: `pg_ctl start` leaves the server running
    /// as a grandchild, which would inherit the socket `Process` watches for the child's exit and
    /// keep it open forever. The wait for
    /// its exit blocks a thread of its own, never a cooperative one.
    @discardableResult
    func run(_ executable: String, _ arguments: [String], step: String) async throws -> String {
        var argv: [String]
        if let runAs {
            if let launcher = Binaries.runuser {
                argv = [launcher, "-u", runAs, "--", executable] + arguments
            } else {
                let command = ([executable] + arguments).map(Self.shellQuoted).joined(separator: " ")
                argv = ["/bin/su", "-s", "/bin/sh", runAs, "-c", command]
            }
        } else {
            argv = [executable] + arguments
        }
        let outputPath = socketDirectory + "/\(step.replacingOccurrences(of: " ", with: "-")).out"
        let status = try await Self.spawnAndWait(argv, outputPath: outputPath, directory: socketDirectory)
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: outputPath)
        guard status == 0 else {
            throw LocalPostgresServerError.commandFailed(step: step, status: status, output: text)
        }
        return text
    }

    private static func spawnAndWait(_ argv: [String], outputPath: String, directory: String) async throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // The server's account may not be allowed into this process's working folder.
        let command = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory] + argv
        let arguments = command.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        // Threads of a Swift process block some signals; the child starts with none blocked.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid = pid_t()
        let spawned = posix_spawn(&pid, command[0], &actions, &attributes, arguments, environ)
        guard spawned == 0 else { throw LocalPostgresServerError.commandFailed(step: argv[0], status: -1, output: "spawn errno \(spawned)") }
        let child = pid
        return await withCheckedContinuation { continuation in
            let waiter = Thread {
                var status: Int32 = 0
                while waitpid(child, &status, 0) < 0, errno == EINTR {}
                // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
                let exited = status & 0x7f == 0
                continuation.resume(returning: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f))
            }
            waiter.name = "jaan-postgres-server-wait"
            waiter.start()
        }
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
