extension Int: PostgresEncodable, PostgresDecodable {
    /// `int8`
    public static var postgresDataType: PostgresDataType { .int8 }
    /// Writes the decimal digits.
    public func encode(into buffer: inout PostgresTextBuffer) { buffer.append(String(self)) }
    /// Reads `int2`, `int4`, `int8` and `oid` columns.
    public init(postgresCell cell: PostgresCell) throws { self = try decodeInteger(cell) }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    /// `int8`
    public static var postgresDataType: PostgresDataType { .int8 }
    /// Writes the decimal digits.
    public func encode(into buffer: inout PostgresTextBuffer) { buffer.append(String(self)) }
    /// Reads `int2`, `int4`, `int8` and `oid` columns.
    public init(postgresCell cell: PostgresCell) throws { self = try decodeInteger(cell) }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    /// `int4`
    public static var postgresDataType: PostgresDataType { .int4 }
    /// Writes the decimal digits.
    public func encode(into buffer: inout PostgresTextBuffer) { buffer.append(String(self)) }
    /// Reads `int2`, `int4`, `int8` and `oid` columns whose value fits.
    public init(postgresCell cell: PostgresCell) throws { self = try decodeInteger(cell) }
}

extension Int16: PostgresEncodable, PostgresDecodable {
    /// `int2`
    public static var postgresDataType: PostgresDataType { .int2 }
    /// Writes the decimal digits.
    public func encode(into buffer: inout PostgresTextBuffer) { buffer.append(String(self)) }
    /// Reads `int2`, `int4`, `int8` and `oid` columns whose value fits.
    public init(postgresCell cell: PostgresCell) throws { self = try decodeInteger(cell) }
}

/// Parses the decimal text of an integer column, checking the type and the range.
private func decodeInteger<Value: FixedWidthInteger>(_ cell: PostgresCell) throws -> Value {
    switch cell.dataType {
    case .int2, .int4, .int8, .oidType: break
    default: throw cell.typeMismatch(Value.self)
    }
    let text = try cell.text(for: Value.self)
    var index = 0
    var negative = false
    if text.count > 0, text[0] == UInt8(ascii: "-") {
        negative = true
        index = 1
    }
    guard index < text.count else { throw cell.invalidValue(Value.self) }
    var value: Value = 0
    while index < text.count {
        let digit = text[index] &- UInt8(ascii: "0")
        guard digit < 10 else { throw cell.invalidValue(Value.self) }
        let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
        let (next, overflowB) =
            negative
            ? shifted.subtractingReportingOverflow(Value(digit)) : shifted.addingReportingOverflow(Value(digit))
        guard !overflowA, !overflowB else { throw cell.invalidValue(Value.self) }
        value = next
        index += 1
    }
    return value
}
