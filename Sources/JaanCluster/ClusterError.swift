/// An error of the cluster: the listening socket could not be set up, the environment a worker
/// inherited is malformed, or a status file could not be read.
public struct ClusterError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case bindFailed(errno: Int32)
        case addressNotResolved
        case malformedWorkerEnvironment
        case spawnFailed(errno: Int32)
        case statusUnreadable
    }

    private let code: Code

    private init(_ code: Code) {
        self.code = code
    }

    /// The listening socket could not be created, bound or put in listening state.
    public static var bindFailed: ClusterError { ClusterError(.bindFailed(errno: 0)) }
    /// The configured host is not an address this machine can listen on.
    public static var addressNotResolved: ClusterError { ClusterError(.addressNotResolved) }
    /// A worker's inherited environment (socket, control channel, id) is missing or malformed.
    public static var malformedWorkerEnvironment: ClusterError { ClusterError(.malformedWorkerEnvironment) }
    /// A status file could not be read or decoded.
    public static var statusUnreadable: ClusterError { ClusterError(.statusUnreadable) }

    static func bindFailed(errno: Int32) -> ClusterError { ClusterError(.bindFailed(errno: errno)) }
    static func spawnFailed(errno: Int32) -> ClusterError { ClusterError(.spawnFailed(errno: errno)) }

    /// Errors compare by kind; the system error number is detail for the description.
    public static func == (lhs: ClusterError, rhs: ClusterError) -> Bool {
        lhs.kind == rhs.kind
    }

    /// Hashes the kind of error.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
    }

    private var kind: Int {
        switch code {
        case .bindFailed: 0
        case .addressNotResolved: 1
        case .malformedWorkerEnvironment: 2
        case .spawnFailed: 3
        case .statusUnreadable: 4
        }
    }

    /// A short explanation with the system error number where there is one.
    public var description: String {
        switch code {
        case .bindFailed(let errno): "the listening socket could not be set up (errno \(errno))"
        case .addressNotResolved: "the host is not a local address to listen on"
        case .malformedWorkerEnvironment: "the worker's inherited cluster environment is malformed"
        case .spawnFailed(let errno): "a worker process could not be started (errno \(errno))"
        case .statusUnreadable: "the cluster status could not be read"
        }
    }
}
