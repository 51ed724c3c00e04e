import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a supervisor hands a worker through its environment: the marker that makes a process a worker.
struct WorkerEnvironment: Equatable, Sendable {
    static let workerIDKey = "JAAN_CLUSTER_WORKER_ID"
    static let listenFDKey = "JAAN_CLUSTER_LISTEN_FD"
    static let controlFDKey = "JAAN_CLUSTER_CONTROL_FD"
    static let supervisorPIDKey = "JAAN_CLUSTER_SUPERVISOR_PID"
    static let shutdownTimeoutKey = "JAAN_CLUSTER_SHUTDOWN_TIMEOUT_MS"
    static let workerCountKey = "JAAN_CLUSTER_WORKER_COUNT"
    static let keys = [workerIDKey, listenFDKey, controlFDKey, supervisorPIDKey, shutdownTimeoutKey, workerCountKey]

    /// The descriptor numbers a worker finds its socket and control channel at.
    static let listenFD: Int32 = 3
    static let controlFD: Int32 = 4

    var workerID: Int
    var listenFD: Int32
    var controlFD: Int32
    var supervisorPID: Int32
    var shutdownTimeoutMilliseconds: Int
    var workerCount: Int

    init(workerID: Int, workerCount: Int, supervisorPID: Int32, shutdownTimeout: Duration) {
        self.workerID = workerID
        self.workerCount = workerCount
        self.listenFD = Self.listenFD
        self.controlFD = Self.controlFD
        self.supervisorPID = supervisorPID
        let (seconds, attoseconds) = shutdownTimeout.components
        self.shutdownTimeoutMilliseconds = Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    /// Reads the marker; `nil` when this process was not started by a supervisor.
    init?(_ environment: [String: String]) throws(ClusterError) {
        guard let id = environment[Self.workerIDKey] else { return nil }
        guard let workerID = Int(id), workerID >= 0,
            let listen = environment[Self.listenFDKey].flatMap({ Int32($0) }), listen >= 0,
            let control = environment[Self.controlFDKey].flatMap({ Int32($0) }), control >= 0,
            let supervisor = environment[Self.supervisorPIDKey].flatMap({ Int32($0) }), supervisor > 0,
            let timeout = environment[Self.shutdownTimeoutKey].flatMap({ Int($0) }), timeout >= 0,
            let count = environment[Self.workerCountKey].flatMap({ Int($0) }), count > workerID
        else { throw .malformedWorkerEnvironment }
        self.workerID = workerID
        self.workerCount = count
        self.listenFD = listen
        self.controlFD = control
        self.supervisorPID = supervisor
        self.shutdownTimeoutMilliseconds = timeout
    }

    /// `environment` without any inherited marker, plus this one, as `KEY=value` strings.
    func merged(into environment: [String: String]) -> [String] {
        var result = environment
        for key in Self.keys { result[key] = nil }
        result[Self.workerIDKey] = String(workerID)
        result[Self.listenFDKey] = String(listenFD)
        result[Self.controlFDKey] = String(controlFD)
        result[Self.supervisorPIDKey] = String(supervisorPID)
        result[Self.shutdownTimeoutKey] = String(shutdownTimeoutMilliseconds)
        result[Self.workerCountKey] = String(workerCount)
        return result.map { "\($0.key)=\($0.value)" }.sorted()
    }
}

/// The environment of this process.
func currentEnvironment() -> [String: String] {
    ProcessInfo.processInfo.environment
}
