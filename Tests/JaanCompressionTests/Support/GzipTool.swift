import Foundation

/// Runs the system `gzip`, an implementation independent of zlib, on bytes.
enum GzipTool {
    struct Result {
        var status: Int32
        var output: [UInt8]
    }

    /// Runs `gzip` with `arguments`, `input` on its standard input; returns its exit status and standard output.
    static func run(_ arguments: [String], input: [UInt8]) throws -> Result {
        let inputURL = FileManager.default.temporaryDirectory.appendingPathComponent("jaan-gzip-\(UUID().uuidString)")
        try Data(input).write(to: inputURL)
        defer { try? FileManager.default.removeItem(at: inputURL) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip"] + arguments
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: [UInt8](output))
    }

    /// Decompresses a gzip stream with `gzip -dc`.
    static func decompress(_ gzip: [UInt8]) throws -> Result {
        try self.run(["-dc"], input: gzip)
    }

    /// Compresses bytes with `gzip -c -n` (no file name or time in the header).
    static func compress(_ plain: [UInt8], level: Int = 6) throws -> [UInt8] {
        try self.run(["-c", "-n", "-\(level)"], input: plain).output
    }
}
