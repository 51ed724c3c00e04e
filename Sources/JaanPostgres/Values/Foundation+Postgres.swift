public import Foundation

extension UUID: PostgresEncodable, PostgresDecodable {
    /// `uuid`
    public static var postgresDataType: PostgresDataType { .uuid }
    /// Writes the canonical text form.
    public func encode(into buffer: inout PostgresTextBuffer) { buffer.append(uuidString) }
    /// Reads a `uuid` column.
    public init(postgresCell cell: PostgresCell) throws {
        guard cell.dataType == .uuid else { throw cell.typeMismatch(UUID.self) }
        guard let value = UUID(uuidString: try cell.string(for: UUID.self)) else { throw cell.invalidValue(UUID.self) }
        self = value
    }
}

extension Data: PostgresEncodable, PostgresDecodable {
    /// `bytea`
    public static var postgresDataType: PostgresDataType { .bytea }
    /// Writes the hex form, `\x` followed by two hex digits a byte.
    public func encode(into buffer: inout PostgresTextBuffer) {
        let digits = Array("0123456789abcdef".utf8)
        buffer.bytes.reserveCapacity(buffer.bytes.count + 2 + count * 2)
        buffer.bytes.append(UInt8(ascii: "\\"))
        buffer.bytes.append(UInt8(ascii: "x"))
        for byte in self {
            buffer.bytes.append(digits[Int(byte >> 4)])
            buffer.bytes.append(digits[Int(byte & 0x0f)])
        }
    }
    /// Reads a `bytea` column in the hex output format (the server's default).
    public init(postgresCell cell: PostgresCell) throws {
        guard cell.dataType == .bytea else { throw cell.typeMismatch(Data.self) }
        let text = try cell.text(for: Data.self)
        guard text.count >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x"), text.count % 2 == 0 else {
            throw cell.invalidValue(Data.self)
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity((text.count - 2) / 2)
        var index = 2
        while index < text.count {
            guard let high = hexValue(text[index]), let low = hexValue(text[index + 1]) else { throw cell.invalidValue(Data.self) }
            bytes.append(high << 4 | low)
            index += 2
        }
        self = Data(bytes)
    }
}

private func hexValue(_ digit: UInt8) -> UInt8? {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
    default: nil
    }
}

extension Date: PostgresEncodable, PostgresDecodable {
    /// `timestamptz`
    public static var postgresDataType: PostgresDataType { .timestamptz }
    /// Writes the UTC time with microseconds, for example `2026-01-02 03:04:05.123456+00`.
    public func encode(into buffer: inout PostgresTextBuffer) { buffer.append(Timestamp.format(self)) }
    /// Reads `timestamptz`, `timestamp` (taken as UTC) and `date` (midnight UTC) columns;
    /// `infinity` and `-infinity` become `distantFuture` and `distantPast`.
    public init(postgresCell cell: PostgresCell) throws {
        switch cell.dataType {
        case .timestamptz, .timestamp, .date: break
        default: throw cell.typeMismatch(Date.self)
        }
        guard let date = Timestamp.parse(try cell.text(for: Date.self)) else { throw cell.invalidValue(Date.self) }
        self = date
    }
}

/// A JSON value stored in a `json` or `jsonb` column.
///
/// Bind it to store a `Codable` value as `jsonb`, and decode it to read one back:
///
/// ```swift
/// try await connection.query("INSERT INTO events (payload) VALUES (\(PostgresJSON(event)))")
/// let event = try row.decode(PostgresJSON<Event>.self, column: "payload").value
/// ```
///
/// A `Decodable` field of a struct decoded with ``PostgresRows/decode(_:keyDecodingStrategy:)``
/// reads a JSON column directly, without the wrapper.
public struct PostgresJSON<Value: Codable & Sendable>: PostgresEncodable, PostgresDecodable {
    /// The value.
    public var value: Value

    /// Wraps a value.
    public init(_ value: Value) { self.value = value }

    /// `jsonb`
    public static var postgresDataType: PostgresDataType { .jsonb }

    /// Writes the value's JSON text.
    public func encode(into buffer: inout PostgresTextBuffer) {
        // Encoding a Codable value into JSON fails only for values JSON cannot hold (a NaN Double);
        // such a value is sent as JSON null.
        let data = (try? JSONEncoder().encode(value)) ?? Data("null".utf8)
        buffer.append(contentsOf: data)
    }

    /// Reads a `json` or `jsonb` column.
    public init(postgresCell cell: PostgresCell) throws {
        value = try decodeJSON(Value.self, from: cell)
    }
}

/// Decodes the JSON text of a `json` or `jsonb` cell.
func decodeJSON<Value: Decodable>(_ type: Value.Type, from cell: PostgresCell) throws -> Value {
    guard cell.dataType == .json || cell.dataType == .jsonb else { throw cell.typeMismatch(Value.self) }
    let text = try cell.text(for: Value.self)
    do {
        return try JSONDecoder().decode(Value.self, from: Data(text))
    } catch {
        throw cell.invalidValue(Value.self)
    }
}
