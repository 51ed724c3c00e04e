import Foundation
import Synchronization

@testable import JaanCluster

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A failure of a test helper: a wait that timed out or a request that failed.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs blocking work (processes, sockets, waits) on a thread of its own, off Swift's cooperative pool.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// Calls `condition` every few milliseconds until it returns a value or `timeout` passes.
func waitFor<T>(_ what: String, timeout: Duration, _ condition: () throws -> T?) throws -> T {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while true {
        if let value = try condition() { return value }
        guard ContinuousClock.now < deadline else { throw TestFailure("timed out waiting for \(what)") }
        usleep(10_000)
    }
}

/// A supervisor process running the test worker, with its status file and log in a temporary directory.
final class TestCluster: Sendable {
    static let workerBinary: String = {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let testBinary = String(decoding: buffer[0..<max(0, length)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return URL(fileURLWithPath: testBinary).deletingLastPathComponent().appendingPathComponent("JaanClusterTestWorker").path
    }()

    let directory: String
    let statusFile: String
    let logFile: String
    let pid: pid_t
    private let exited = Mutex<ExitStatus?>(nil)

    /// Starts the supervisor on an ephemeral loopback port with `arguments` added.
    init(_ arguments: [String]) throws {
        directory = NSTemporaryDirectory() + "jaan-cluster-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        statusFile = directory + "/status.json"
        logFile = directory + "/cluster.log"
        let log = open(logFile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(log) }
        let all = ["--host", "127.0.0.1", "--port", "0", "--status-file", statusFile, "--sample-interval-ms", "100"] + arguments
        pid = try ProcessSpawner.spawn(
            path: Self.workerBinary, arguments: [Self.workerBinary] + all,
            environment: ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" },
            descriptors: [(log, 1), (log, 2)], newProcessGroup: true
        )
    }

    /// The current status, or `nil` before the supervisor wrote one.
    func status() -> ClusterStatus? {
        try? ClusterStatus.read(from: statusFile)
    }

    /// Waits until the status satisfies `predicate`.
    @discardableResult
    func waitForStatus(
        _ what: String, timeout: Duration = .seconds(20), _ predicate: (ClusterStatus) -> Bool
    ) throws -> ClusterStatus {
        try waitFor(what, timeout: timeout) {
            guard let status = status(), predicate(status) else { return nil }
            return status
        }
    }

    /// Waits until `count` workers are online and no other process runs.
    @discardableResult
    func waitUntilOnline(_ count: Int, timeout: Duration = .seconds(20)) throws -> ClusterStatus {
        try waitForStatus("\(count) workers online", timeout: timeout) { status in
            status.phase == "running" && status.workers.count == count && status.workers.allSatisfy { $0.state == .online }
        }
    }

    func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits for the supervisor to exit and returns how it ended.
    func waitForExit(timeout: Duration) throws -> ExitStatus {
        if let status = exited.withLock({ $0 }) { return status }
        let status = try waitFor("the supervisor to exit", timeout: timeout) { () -> ExitStatus? in
            var raw: Int32 = 0
            return waitpid(pid, &raw, WNOHANG) == pid ? ExitStatus(rawValue: raw) : nil
        }
        exited.withLock { $0 = status }
        return status
    }

    var log: String {
        (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
    }

    /// Kills whatever still runs (supervisor and workers) and removes the temporary directory.
    func tearDown() {
        let workers = status()?.workers.compactMap(\.pid) ?? []
        if exited.withLock({ $0 }) == nil {
            kill(pid, SIGKILL)
            _ = try? waitForExit(timeout: .seconds(10))
        }
        for worker in workers where isRunning(worker) {
            kill(worker, SIGKILL)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Whether `pid` names a live process (a zombie waiting to be reaped does not count).
func isRunning(_ pid: pid_t) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = readSmallFile("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(after: close)...].split(separator: " ").first
    return state != "Z" && state != "X"
}
