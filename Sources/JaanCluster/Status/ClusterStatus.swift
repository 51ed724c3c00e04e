public import Foundation

/// A snapshot of a cluster, like `pm2 status`: the supervisor and each of its workers.
///
/// The supervisor keeps it current in ``Cluster/Configuration/statusFile`` (replaced atomically,
/// at every sample and every change); another process reads it with ``read(from:)``.
public struct ClusterStatus: Codable, Sendable, Equatable {
    /// The supervisor's process id.
    public var supervisorPID: Int32
    /// The address the cluster listens on.
    public var host: String
    /// The TCP port the cluster listens on.
    public var port: Int
    /// What the supervisor is doing: `"running"`, `"reloading"` or `"stopping"`.
    public var phase: String
    /// When the supervisor started.
    public var startedAt: Date
    /// When this snapshot was taken.
    public var updatedAt: Date
    /// Every worker process, ordered by id (a worker being replaced appears next to its replacement).
    public var workers: [WorkerStatus]

    /// Creates a snapshot.
    /// - Parameters:
    ///   - supervisorPID: the supervisor's process id.
    ///   - host: the address the cluster listens on.
    ///   - port: the TCP port the cluster listens on.
    ///   - phase: what the supervisor is doing.
    ///   - startedAt: when the supervisor started.
    ///   - updatedAt: when this snapshot was taken.
    ///   - workers: every worker process.
    public init(
        supervisorPID: Int32, host: String, port: Int, phase: String, startedAt: Date, updatedAt: Date, workers: [WorkerStatus]
    ) {
        self.supervisorPID = supervisorPID
        self.host = host
        self.port = port
        self.phase = phase
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.workers = workers
    }

    /// Reads the status a supervisor wrote to `path`.
    /// - Throws: ``ClusterError/statusUnreadable`` when the file is missing or not a status.
    public static func read(from path: String) throws(ClusterError) -> ClusterStatus {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return try decoder.decode(ClusterStatus.self, from: data)
        } catch {
            throw .statusUnreadable
        }
    }

    /// Writes the status to `path` atomically (a temporary file renamed over it).
    func write(to path: String) throws {
        try encoded().write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    func encoded() throws -> Data {
        try Self.encoder.encode(self)
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
