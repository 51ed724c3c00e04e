/// A Swift type that can be read from a column of a PostgreSQL result.
///
/// Conform your own types by reading the cell's text, and throw the cell's errors so they
/// name the column:
///
/// ```swift
/// extension Role: PostgresDecodable {
///     init(postgresCell cell: PostgresCell) throws {
///         guard let role = Role(rawValue: try String(postgresCell: cell)) else { throw cell.invalidValue(Role.self) }
///         self = role
///     }
/// }
/// ```
public protocol PostgresDecodable: Sendable {
    /// Reads the value from one cell of a result row.
    init(postgresCell cell: PostgresCell) throws
}

/// One value of a result row, in PostgreSQL's text format.
///
/// - Important: ``bytes`` points into the result and is valid only during the decode call.
public struct PostgresCell {
    /// The value's text, or `nil` for SQL NULL.
    public let bytes: UnsafeBufferPointer<UInt8>?
    /// The column's PostgreSQL type.
    public let dataType: PostgresDataType
    /// The column's name.
    public let columnName: String

    init(bytes: UnsafeBufferPointer<UInt8>?, dataType: PostgresDataType, columnName: String) {
        self.bytes = bytes
        self.dataType = dataType
        self.columnName = columnName
    }

    /// The value's text; throws a NULL error naming the column when the value is NULL.
    public func text<Value>(for type: Value.Type) throws -> UnsafeBufferPointer<UInt8> {
        guard let bytes else { throw unexpectedNull(Value.self) }
        return bytes
    }

    /// The value's text as a `String`, throwing a NULL error when the value is NULL.
    public func string<Value>(for type: Value.Type) throws -> String {
        String(decoding: try text(for: Value.self), as: UTF8.self)
    }

    /// An error saying the column's type cannot be decoded as `type`.
    public func typeMismatch<Value>(_ type: Value.Type) -> PostgresDecodingError {
        PostgresDecodingError(reason: .typeMismatch, column: columnName, swiftType: "\(Value.self)", postgresType: dataType)
    }

    /// An error saying the column's value is not a valid `type`.
    public func invalidValue<Value>(_ type: Value.Type) -> PostgresDecodingError {
        PostgresDecodingError(reason: .invalidValue, column: columnName, swiftType: "\(Value.self)", postgresType: dataType)
    }

    /// An error saying the column is NULL but `type` is not optional.
    public func unexpectedNull<Value>(_ type: Value.Type) -> PostgresDecodingError {
        PostgresDecodingError(reason: .unexpectedNull, column: columnName, swiftType: "\(Value.self)", postgresType: dataType)
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    /// `nil` for SQL NULL, else the wrapped type's value.
    public init(postgresCell cell: PostgresCell) throws {
        if cell.bytes == nil {
            self = .none
        } else {
            self = .some(try Wrapped(postgresCell: cell))
        }
    }
}
