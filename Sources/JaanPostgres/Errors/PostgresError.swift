/// An error from PostgreSQL or from the connection to it.
///
/// Server errors carry the fields PostgreSQL sends: ``sqlState``, ``message``, ``detail``,
/// ``hint`` and ``constraint``, so an application can, for example, answer 409 for a unique violation:
///
/// ```swift
/// catch let error as PostgresError where error.sqlState == .uniqueViolation { ... }
/// ```
///
/// `description` names only the kind of error and the SQLSTATE; it never contains SQL, bound
/// values, server messages or connection details, which may be logged from the fields.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable {
            case server
            case connectionFailed
            case connectTimeout
            case connectionClosed
            case connectionBusy
            case invalidBind
            case unexpectedResult
            case transactionRolledBack
        }

        let base: Base

        /// The server rejected the statement; see ``PostgresError/sqlState``.
        public static let server = Code(base: .server)
        /// The connection could not be opened.
        public static let connectionFailed = Code(base: .connectionFailed)
        /// The connection did not open within the configured connect timeout.
        public static let connectTimeout = Code(base: .connectTimeout)
        /// The connection is closed or broke; it cannot be used again.
        public static let connectionClosed = Code(base: .connectionClosed)
        /// Another operation is running on this connection; a connection runs one at a time.
        public static let connectionBusy = Code(base: .connectionBusy)
        /// A bound value cannot be sent, for example a string with a NUL character.
        public static let invalidBind = Code(base: .invalidBind)
        /// The server answered in a way this statement does not allow (for example rows from a COPY).
        public static let unexpectedResult = Code(base: .unexpectedResult)
        /// `COMMIT` rolled the transaction back, because an earlier statement in it failed.
        public static let transactionRolledBack = Code(base: .transactionRolledBack)

        /// The name of the code.
        public var description: String { base.rawValue }
    }

    /// A SQLSTATE error code (for example `23505`, unique violation).
    public struct SQLState: Sendable, Hashable, CustomStringConvertible {
        /// The five-character code.
        public let rawValue: String

        /// Creates a SQLSTATE from its five-character code.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// `23505`: a unique constraint or index was violated.
        public static let uniqueViolation = SQLState("23505")
        /// `23503`: a foreign key constraint was violated.
        public static let foreignKeyViolation = SQLState("23503")
        /// `23502`: NULL in a NOT NULL column.
        public static let notNullViolation = SQLState("23502")
        /// `23514`: a check constraint was violated.
        public static let checkViolation = SQLState("23514")
        /// `57014`: the statement was cancelled (by a cancel request or `statement_timeout`).
        public static let queryCanceled = SQLState("57014")
        /// `40001`: a serializable transaction must be retried.
        public static let serializationFailure = SQLState("40001")
        /// `40P01`: a deadlock was detected.
        public static let deadlockDetected = SQLState("40P01")
        /// `42601`: a syntax error.
        public static let syntaxError = SQLState("42601")
        /// `42P01`: the table does not exist.
        public static let undefinedTable = SQLState("42P01")
        /// `22P02`: a value's text is not valid for its type.
        public static let invalidTextRepresentation = SQLState("22P02")

        /// The five-character code.
        public var description: String { rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// The SQLSTATE of a server error; `nil` for errors of the connection.
    public let sqlState: SQLState?
    /// The primary message: the server's for a server error, libpq's for a connection error.
    ///
    /// - Important: It may contain values or host names; log it, do not show it to clients.
    public let message: String?
    /// The server's detail, if any (for a unique violation it names the duplicate key).
    public let detail: String?
    /// The server's hint, if any.
    public let hint: String?
    /// The name of the violated constraint, if any.
    public let constraint: String?
    /// The table the error concerns, if the server named one.
    public let table: String?
    /// The column the error concerns, if the server named one.
    public let column: String?

    init(
        code: Code,
        sqlState: SQLState? = nil,
        message: String? = nil,
        detail: String? = nil,
        hint: String? = nil,
        constraint: String? = nil,
        table: String? = nil,
        column: String? = nil
    ) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
    }

    /// The kind of error and its SQLSTATE; no SQL, values or server text.
    public var description: String {
        if let sqlState { return "PostgresError(code: \(code), sqlState: \(sqlState))" }
        return "PostgresError(code: \(code))"
    }

    static let connectionClosed = PostgresError(code: .connectionClosed)
    static let connectionBusy = PostgresError(code: .connectionBusy)
    static let connectTimeout = PostgresError(code: .connectTimeout)
    static func connectionClosed(_ message: String?) -> PostgresError { PostgresError(code: .connectionClosed, message: message) }
    static func invalidBind(_ message: String) -> PostgresError { PostgresError(code: .invalidBind, message: message) }
    static func unexpectedResult(_ message: String) -> PostgresError { PostgresError(code: .unexpectedResult, message: message) }
}
