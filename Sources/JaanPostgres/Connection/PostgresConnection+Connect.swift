import CLibPQ
import Dispatch
public import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension PostgresConnection {
    /// Opens a connection and sets up its session (`statement_timeout`, `application_name`, `TimeZone`).
    ///
    /// The connection starts with `PQconnectStartParams` and proceeds with `PQconnectPoll`,
    /// suspending while the socket is not ready.
    ///
    /// - Parameters:
    ///   - configuration: Where to connect and how to set up the session.
    ///   - logger: Receives the connection's query logs. Defaults to a logger that discards everything.
    /// - Throws: ``PostgresError`` with code ``PostgresError/Code/connectionFailed`` or
    ///   ``PostgresError/Code/connectTimeout``; `CancellationError`.
    public static func connect(
        configuration: Configuration,
        logger: Logger = Logger(label: "jaan.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> PostgresConnection {
        let parameters = try sessionParameters(configuration)
        // Starting a connection may resolve a host name, which blocks: it runs off the cooperative pool.
        let started = await withCheckedContinuation { (continuation: CheckedContinuation<UnsafeConnection?, Never>) in
            blockingQueue.async {
                let pointer = withConnectionParameters(parameters) { keys, values in PQconnectStartParams(keys, values, 0) }
                continuation.resume(returning: pointer.map(UnsafeConnection.init))
            }
        }
        guard let started else { throw PostgresError(code: .connectionFailed, message: "out of memory") }
        let pointer = started.pointer
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await poll(started) }
                group.addTask {
                    try await Task.sleep(for: configuration.connectTimeout)
                    throw PostgresError.connectTimeout
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        } catch {
            PQfinish(pointer)
            throw error
        }
        guard PQsetnonblocking(pointer, 1) == 0 else {
            let message = String(cString: PQerrorMessage(pointer))
            PQfinish(pointer)
            throw PostgresError(code: .connectionFailed, message: message)
        }
        let connection = LibPQConnection(pointer: pointer, statementCacheSize: max(0, configuration.preparedStatementCacheSize))
        return PostgresConnection(connection: connection, configuration: configuration, logger: logger)
    }

    /// Drives `PQconnectPoll` until the connection is made or fails.
    private static func poll(_ connection: UnsafeConnection) async throws {
        let pointer = connection.pointer
        if PQstatus(pointer) == CONNECTION_BAD {
            throw PostgresError(code: .connectionFailed, message: String(cString: PQerrorMessage(pointer)))
        }
        var status = PGRES_POLLING_WRITING
        while true {
            switch status {
            case PGRES_POLLING_OK:
                return
            case PGRES_POLLING_READING:
                try await SocketReactor.shared.cancellableWait(socket: PQsocket(pointer), for: .readable)
            case PGRES_POLLING_WRITING:
                try await SocketReactor.shared.cancellableWait(socket: PQsocket(pointer), for: .writable)
            default:
                throw PostgresError(code: .connectionFailed, message: String(cString: PQerrorMessage(pointer)))
            }
            status = PQconnectPoll(pointer)
        }
    }

    /// The libpq keywords and values: the user's connection string, with the session settings
    /// added to its `options` and `application_name`.
    private static func sessionParameters(_ configuration: Configuration) throws -> [(String, String)] {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(configuration.connectionString, &errorMessage) else {
            let message = errorMessage.map { String(cString: $0) } ?? "invalid connection string"
            if let errorMessage { PQfreemem(errorMessage) }
            throw PostgresError(code: .connectionFailed, message: message)
        }
        defer { PQconninfoFree(parsed) }
        var parameters: [(String, String)] = []
        var userOptions = ""
        var option = parsed
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                let name = String(cString: keyword)
                if name == "options" {
                    userOptions = String(cString: value)
                } else {
                    parameters.append((name, String(cString: value)))
                }
            }
            option += 1
        }
        var session = ["-c TimeZone=\(configuration.timeZone)"]
        if let timeout = configuration.statementTimeout { session.append("-c statement_timeout=\(timeout.milliseconds)") }
        let options = ([userOptions] + session).filter { !$0.isEmpty }.joined(separator: " ")
        parameters.removeAll { $0.0 == "application_name" }
        parameters.append(("application_name", configuration.applicationName))
        parameters.append(("options", options))
        return parameters
    }

    private static func withConnectionParameters<Result>(
        _ parameters: [(String, String)],
        _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> Result
    ) -> Result {
        let keys = parameters.map { strdup($0.0) }
        let values = parameters.map { strdup($0.1) }
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        let keyPointers = keys.map { UnsafePointer($0) } + [nil]
        let valuePointers = values.map { UnsafePointer($0) } + [nil]
        return keyPointers.withUnsafeBufferPointer { keyBuffer in
            valuePointers.withUnsafeBufferPointer { valueBuffer in body(keyBuffer.baseAddress!, valueBuffer.baseAddress!) }
        }
    }
}

/// A libpq connection being opened, handed between the blocking queue and the connecting task.
///
/// `@unchecked Sendable`: only one party uses the pointer at a time (first the queue, then the task).
struct UnsafeConnection: @unchecked Sendable {
    let pointer: OpaquePointer
}
