/// A Swift value that can be sent to PostgreSQL as a bound parameter or a COPY field.
///
/// Values travel in PostgreSQL's text format, always apart from the SQL text: as a bind
/// (`$1`) or as an escaped COPY field, so no value can ever change a statement.
///
/// Conform your own types by writing their text form, for example an enum:
///
/// ```swift
/// extension Role: PostgresEncodable {
///     static var postgresDataType: PostgresDataType { .text }
///     func encode(into buffer: inout PostgresTextBuffer) { buffer.append(rawValue) }
/// }
/// ```
public protocol PostgresEncodable: Sendable {
    /// The PostgreSQL type sent with the value, so the server parses it as that type.
    static var postgresDataType: PostgresDataType { get }
    /// Whether this value is SQL NULL. Defaults to `false`; only `Optional.none` is NULL.
    var isPostgresNull: Bool { get }
    /// Writes the value's PostgreSQL text form.
    func encode(into buffer: inout PostgresTextBuffer)
}

extension PostgresEncodable {
    /// Defaults to `false`.
    public var isPostgresNull: Bool { false }
}

/// The bytes of a value's PostgreSQL text form, written by ``PostgresEncodable/encode(into:)``.
public struct PostgresTextBuffer: Sendable {
    var bytes: [UInt8]

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// Appends UTF-8 text.
    public mutating func append(_ text: some StringProtocol) { bytes.append(contentsOf: text.utf8) }

    /// Appends raw bytes of UTF-8 text.
    public mutating func append(contentsOf utf8: some Sequence<UInt8>) { bytes.append(contentsOf: utf8) }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    /// The wrapped type's data type.
    public static var postgresDataType: PostgresDataType { Wrapped.postgresDataType }
    /// `true` for `nil`.
    public var isPostgresNull: Bool {
        switch self {
        case .none: true
        case .some(let wrapped): wrapped.isPostgresNull
        }
    }
    /// Writes the wrapped value; writes nothing for `nil`.
    public func encode(into buffer: inout PostgresTextBuffer) {
        if case .some(let wrapped) = self { wrapped.encode(into: &buffer) }
    }
}
