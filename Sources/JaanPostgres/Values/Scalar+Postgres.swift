extension Bool: PostgresEncodable, PostgresDecodable {
    /// `bool`
    public static var postgresDataType: PostgresDataType { .bool }
    /// Writes `t` or `f`.
    public func encode(into buffer: inout PostgresTextBuffer) { buffer.append(self ? "t" : "f") }
    /// Reads a `bool` column.
    public init(postgresCell cell: PostgresCell) throws {
        guard cell.dataType == .bool else { throw cell.typeMismatch(Bool.self) }
        let text = try cell.text(for: Bool.self)
        switch text.first {
        case UInt8(ascii: "t"): self = true
        case UInt8(ascii: "f"): self = false
        default: throw cell.invalidValue(Bool.self)
        }
    }
}

extension Double: PostgresEncodable, PostgresDecodable {
    /// `float8`
    public static var postgresDataType: PostgresDataType { .float8 }
    /// Writes the shortest text that reads back as the same value (`NaN`, `Infinity` included).
    public func encode(into buffer: inout PostgresTextBuffer) {
        if isNaN {
            buffer.append("NaN")
        } else if isInfinite {
            buffer.append(self < 0 ? "-Infinity" : "Infinity")
        } else {
            buffer.append(description)
        }
    }
    /// Reads `float4`, `float8`, `numeric` and integer columns.
    public init(postgresCell cell: PostgresCell) throws {
        switch cell.dataType {
        case .float4, .float8, .numeric, .int2, .int4, .int8: break
        default: throw cell.typeMismatch(Double.self)
        }
        guard let value = Double(try cell.string(for: Double.self)) else { throw cell.invalidValue(Double.self) }
        self = value
    }
}

extension String: PostgresEncodable, PostgresDecodable {
    /// `text`
    public static var postgresDataType: PostgresDataType { .text }
    /// Writes the string's UTF-8 bytes.
    public func encode(into buffer: inout PostgresTextBuffer) { buffer.append(self) }
    /// Reads character, JSON and XML columns and columns of user-defined types (enums, `citext`).
    public init(postgresCell cell: PostgresCell) throws {
        guard cell.dataType.isTextual else { throw cell.typeMismatch(String.self) }
        self = try cell.string(for: String.self)
    }
}
