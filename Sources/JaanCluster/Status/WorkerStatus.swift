public import Foundation

/// One worker process in a ``ClusterStatus``.
public struct WorkerStatus: Codable, Sendable, Equatable {
    /// The worker id, `0..<workers`.
    public var id: Int
    /// The process id; `nil` while the worker waits to be restarted.
    public var pid: Int32?
    /// The life stage of the process.
    public var state: WorkerState
    /// When the process was started; `nil` while the worker waits to be restarted.
    public var startedAt: Date?
    /// How many processes were started for this id after the first (crashes, memory, reloads).
    public var restarts: Int
    /// Resident memory in bytes at the last sample, if sampled yet.
    public var residentBytes: Int?
    /// CPU use since the previous sample, in percent of one CPU, if sampled twice yet.
    public var cpuPercent: Double?

    /// Creates a worker entry.
    /// - Parameters:
    ///   - id: the worker id.
    ///   - pid: the process id, if running.
    ///   - state: the life stage of the process.
    ///   - startedAt: when the process was started, if running.
    ///   - restarts: how many processes were started for this id after the first.
    ///   - residentBytes: resident memory in bytes, if sampled.
    ///   - cpuPercent: CPU use in percent of one CPU, if sampled.
    public init(
        id: Int, pid: Int32?, state: WorkerState, startedAt: Date?, restarts: Int, residentBytes: Int?, cpuPercent: Double?
    ) {
        self.id = id
        self.pid = pid
        self.state = state
        self.startedAt = startedAt
        self.restarts = restarts
        self.residentBytes = residentBytes
        self.cpuPercent = cpuPercent
    }

    /// How long the process has run at `date`; `nil` when it is not running.
    public func uptime(at date: Date) -> TimeInterval? {
        startedAt.map { max(0, date.timeIntervalSince($0)) }
    }
}

/// The life stage of a worker process, as `pm2 status` names them.
public struct WorkerState: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The name of the state.
    public let name: String

    private init(_ name: String) {
        self.name = name
    }

    /// Started, not yet ready.
    public static let launching = WorkerState("launching")
    /// Ready and accepting connections.
    public static let online = WorkerState("online")
    /// Asked to stop; finishing in-flight work.
    public static let stopping = WorkerState("stopping")
    /// Dead; waiting out its restart back-off.
    public static let waitingRestart = WorkerState("waiting restart")

    /// Decodes the state from its name.
    public init(from decoder: any Decoder) throws {
        name = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the state as its name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }

    /// The name of the state.
    public var description: String { name }
}
