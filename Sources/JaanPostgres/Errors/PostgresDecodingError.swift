/// A row value could not be decoded into the requested Swift type.
///
/// The error names the column, the Swift type asked for and the PostgreSQL type found,
/// never the value itself.
public struct PostgresDecodingError: Error, Sendable, CustomStringConvertible {
    enum Reason: Sendable {
        case unexpectedNull
        case typeMismatch
        case invalidValue
        case missingColumn
    }

    let reason: Reason
    /// The column's name (or, for a missing column, the name asked for).
    public let column: String
    /// The Swift type that was asked for.
    public let swiftType: String
    /// The column's PostgreSQL type.
    public let postgresType: PostgresDataType?

    /// Whether the column held NULL for a non-optional type.
    public var isUnexpectedNull: Bool { reason == .unexpectedNull }
    /// Whether the column's PostgreSQL type cannot be decoded into the Swift type.
    public var isTypeMismatch: Bool { reason == .typeMismatch }

    /// An account of the failure naming the column and the types.
    public var description: String {
        let found = postgresType.map { "\($0)" } ?? "?"
        switch reason {
        case .unexpectedNull: return "column \"\(column)\" is NULL but \(swiftType) is not optional"
        case .typeMismatch: return "column \"\(column)\" of type \(found) cannot be decoded as \(swiftType)"
        case .invalidValue: return "column \"\(column)\" of type \(found) holds a value that is not a valid \(swiftType)"
        case .missingColumn: return "no column \"\(column)\" in the result for \(swiftType)"
        }
    }
}
