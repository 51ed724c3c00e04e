/// Why a ``LocalPostgresServer`` could not be created, started or stopped.
public struct LocalPostgresServerError: Error, Sendable, CustomStringConvertible {
    enum Reason: Sendable {
        case binariesNotFound
        case unknownUser(String)
        case cannotChangeOwner(path: String, errno: Int32)
        case cannotCreateFolder(errno: Int32)
        case noFreePort(errno: Int32)
        case commandFailed(step: String, status: Int32, output: String)
        case folderInUse(path: String)
        case cannotLock(path: String, errno: Int32)
    }

    let reason: Reason

    /// The output of the failed PostgreSQL program, if a program failed; useful in logs.
    public var output: String? {
        if case .commandFailed(_, _, let output) = reason { return output }
        return nil
    }

    /// A short account of the failure.
    public var description: String {
        switch reason {
        case .binariesNotFound: "PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql"
        case .unknownUser(let user): "no system account '\(user)' to run PostgreSQL as"
        case .cannotChangeOwner(_, let code): "cannot hand the data folder to the server account (errno \(code))"
        case .cannotCreateFolder(let code): "cannot create a temporary folder (errno \(code))"
        case .noFreePort(let code): "cannot find a free TCP port (errno \(code))"
        case .commandFailed(let step, let status, _): "\(step) failed with status \(status)"
        case .folderInUse(let path): "another process runs PostgreSQL on \(path)"
        case .cannotLock(let path, let code): "cannot lock \(path) (errno \(code))"
        }
    }

    static let binariesNotFound = Self(reason: .binariesNotFound)
    static func unknownUser(_ user: String) -> Self { Self(reason: .unknownUser(user)) }
    static func cannotChangeOwner(path: String, errno: Int32) -> Self { Self(reason: .cannotChangeOwner(path: path, errno: errno)) }
    static func cannotCreateFolder(errno: Int32) -> Self { Self(reason: .cannotCreateFolder(errno: errno)) }
    static func noFreePort(errno: Int32) -> Self { Self(reason: .noFreePort(errno: errno)) }
    static func folderInUse(path: String) -> Self { Self(reason: .folderInUse(path: path)) }
    static func cannotLock(path: String, errno: Int32) -> Self { Self(reason: .cannotLock(path: path, errno: errno)) }
    static func commandFailed(step: String, status: Int32, output: String) -> Self {
        Self(reason: .commandFailed(step: step, status: status, output: output))
    }
}
