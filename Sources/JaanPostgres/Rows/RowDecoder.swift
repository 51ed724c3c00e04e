/// Finds the column of each coding key in one decode.
///
/// A decode asks for the same keys, in the same order, on every row: the lookup remembers them
/// and finds each by comparing strings from where the previous one was found, which for the
/// literal keys of a synthesized `CodingKeys` is a comparison of identical storage, instead of
/// hashing every key of every row. Keys it has not seen come from the result's shared map.
final class ColumnLookup {
    let positions: [String: Int]
    private var recent: [(key: String, position: Int?)] = []
    private var cursor = 0

    init(_ columns: ResultColumns, strategy: PostgresKeyDecodingStrategy) {
        positions = columns.positions(for: strategy)
    }

    /// The position of the column for `key`, or `nil` when the result has no such column.
    func position(of key: String) -> Int? {
        let count = recent.count
        var index = cursor
        for _ in 0..<count {
            let next = index + 1 == count ? 0 : index + 1
            if recent[index].key == key {
                cursor = next
                return recent[index].position
            }
            index = next
        }
        let position = positions[key]
        if count < 64 {
            recent.append((key, position))
            cursor = 0
        }
        return position
    }
}

/// Decodes one row into a `Decodable` type: keys are column names, values are cells.
struct RowDecoder: Decoder {
    let result: ResultHandle
    let row: Int
    let columns: ColumnLookup

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func decode<Row: Decodable>(_ type: Row.Type) throws -> Row {
        if let decodable = Row.self as? any PostgresDecodable.Type, result.columns.names.count == 1 {
            return try decodable.init(postgresCell: result.cell(row: row, column: 0)) as! Row
        }
        return try Row(from: self)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch(
            [Any].self,
            .init(codingPath: [], debugDescription: "a row decodes into a keyed type, by column name")
        )
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(
            Any.self,
            .init(codingPath: [], debugDescription: "a row decodes into a keyed type, by column name")
        )
    }

    func cell<Value>(forKey key: some CodingKey, as type: Value.Type) throws -> PostgresCell {
        guard let position = columns.position(of: key.stringValue) else {
            throw PostgresDecodingError(reason: .missingColumn, column: key.stringValue, swiftType: "\(Value.self)", postgresType: nil)
        }
        return result.cell(row: row, column: position)
    }
}

/// The keyed container of a ``RowDecoder``: one value per column.
struct RowContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: RowDecoder

    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { decoder.result.columns.names.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { decoder.columns.position(of: key.stringValue) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { try decoder.cell(forKey: key, as: Any?.self).bytes == nil }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try Bool(postgresCell: decoder.cell(forKey: key, as: type)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try String(postgresCell: decoder.cell(forKey: key, as: type)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try Double(postgresCell: decoder.cell(forKey: key, as: type)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try Int(postgresCell: decoder.cell(forKey: key, as: type)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try Int64(postgresCell: decoder.cell(forKey: key, as: type)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try Int32(postgresCell: decoder.cell(forKey: key, as: type)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try Int16(postgresCell: decoder.cell(forKey: key, as: type)) }

    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        Float(try Double(postgresCell: decoder.cell(forKey: key, as: type)))
    }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try narrow(key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try narrow(key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try narrow(key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try narrow(key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try narrow(key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try narrow(key) }

    func decode<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value {
        let cell = try decoder.cell(forKey: key, as: type)
        if let decodable = Value.self as? any PostgresDecodable.Type {
            return try decodable.init(postgresCell: cell) as! Value
        }
        if cell.dataType == .json || cell.dataType == .jsonb {
            return try decodeJSON(Value.self, from: cell)
        }
        throw cell.typeMismatch(Value.self)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw try decoder.cell(forKey: key, as: type).typeMismatch(type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw try decoder.cell(forKey: key, as: [Any].self).typeMismatch([Any].self)
    }

    func superDecoder() throws -> any Decoder { decoder }

    func superDecoder(forKey key: Key) throws -> any Decoder { decoder }

    private func narrow<Value: FixedWidthInteger>(_ key: Key) throws -> Value {
        let cell = try decoder.cell(forKey: key, as: Value.self)
        guard let value = Value(exactly: try Int64(postgresCell: cell)) else { throw cell.invalidValue(Value.self) }
        return value
    }
}
