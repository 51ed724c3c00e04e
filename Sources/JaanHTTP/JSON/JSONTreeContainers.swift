/// Fills a ``JSONTreeObject``.
struct JSONTreeKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONTreeEncoder
    let object: JSONTreeObject
    let codingPath: [any CodingKey]

    /// A child encoder whose slot is placed under `key` now.
    private func child(forKey key: Key) -> JSONTreeEncoder {
        let slot = JSONTreeSlot()
        self.object.set(slot, forKey: self.encoder.convertedKey(key))
        return self.encoder.child(slot, key: key, basePath: self.codingPath)
    }

    private func literal(forKey key: Key, _ write: (inout JSONOutput) throws -> Void) throws {
        try self.child(forKey: key).encodeLiteral(write)
    }

    mutating func encodeNil(forKey key: Key) throws { try self.literal(forKey: key) { $0.appendNull() } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try self.literal(forKey: key) { $0.appendBool(value) } }
    mutating func encode(_ value: String, forKey key: Key) throws { try self.literal(forKey: key) { $0.appendQuoted(value) } }
    mutating func encode(_ value: Double, forKey key: Key) throws { try self.encode(generic: value, forKey: key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try self.encode(generic: value, forKey: key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try self.encode(generic: value, forKey: key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try self.encode(generic: value, forKey: key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try self.encode(generic: value, forKey: key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try self.encode(generic: value, forKey: key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try self.encode(generic: value, forKey: key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try self.encode(generic: value, forKey: key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try self.encode(generic: value, forKey: key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try self.encode(generic: value, forKey: key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try self.encode(generic: value, forKey: key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try self.encode(generic: value, forKey: key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try self.encode(generic: value, forKey: key)
    }

    /// Numbers and other values reach their literal through their own single-value encoding.
    private func encode<T: Encodable>(generic value: T, forKey key: Key) throws {
        try self.child(forKey: key).encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        self.child(forKey: key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        self.child(forKey: key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let key = JSONSuperKey()
        let slot = JSONTreeSlot()
        self.object.set(slot, forKey: key.stringValue)
        return self.encoder.child(slot, key: key, basePath: self.codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        self.child(forKey: key)
    }
}

/// Fills a ``JSONTreeArray``.
struct JSONTreeUnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: JSONTreeEncoder
    let array: JSONTreeArray
    let codingPath: [any CodingKey]

    var count: Int { self.array.values.count }

    /// A child encoder whose slot is appended now.
    private func child() -> JSONTreeEncoder {
        let slot = JSONTreeSlot()
        let key = JSONIndexKey(index: self.array.values.count)
        self.array.values.append(slot)
        return self.encoder.child(slot, key: key, basePath: self.codingPath)
    }

    mutating func encodeNil() throws { try self.child().encodeLiteral { $0.appendNull() } }
    mutating func encode(_ value: Bool) throws { try self.child().encodeLiteral { $0.appendBool(value) } }
    mutating func encode(_ value: String) throws { try self.child().encodeLiteral { $0.appendQuoted(value) } }
    mutating func encode(_ value: Double) throws { try self.child().encodeValue(value) }
    mutating func encode(_ value: Float) throws { try self.child().encodeValue(value) }
    mutating func encode(_ value: Int) throws { try self.child().encodeValue(value) }
    mutating func encode(_ value: Int8) throws { try self.child().encodeValue(value) }
    mutating func encode(_ value: Int16) throws { try self.child().encodeValue(value) }
    mutating func encode(_ value: Int32) throws { try self.child().encodeValue(value) }
    mutating func encode(_ value: Int64) throws { try self.child().encodeValue(value) }
    mutating func encode(_ value: UInt) throws { try self.child().encodeValue(value) }
    mutating func encode(_ value: UInt8) throws { try self.child().encodeValue(value) }
    mutating func encode(_ value: UInt16) throws { try self.child().encodeValue(value) }
    mutating func encode(_ value: UInt32) throws { try self.child().encodeValue(value) }
    mutating func encode(_ value: UInt64) throws { try self.child().encodeValue(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try self.child().encodeValue(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        self.child().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        self.child().unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        self.child()
    }
}

/// Writes the one value of a tree slot.
struct JSONTreeSingleValueContainer: SingleValueEncodingContainer {
    let encoder: JSONTreeEncoder

    var codingPath: [any CodingKey] { self.encoder.codingPath }

    private func literal(_ write: (inout JSONOutput) throws -> Void) throws {
        try self.encoder.encodeLiteral(write)
    }

    mutating func encodeNil() throws { try self.literal { $0.appendNull() } }
    mutating func encode(_ value: Bool) throws { try self.literal { $0.appendBool(value) } }
    mutating func encode(_ value: String) throws { try self.literal { $0.appendQuoted(value) } }
    mutating func encode(_ value: Double) throws { try self.literal { try $0.appendChecked(value, codingPath: self.codingPath) } }
    mutating func encode(_ value: Float) throws { try self.literal { try $0.appendChecked(value, codingPath: self.codingPath) } }
    mutating func encode(_ value: Int) throws { try self.literal { $0.appendInteger(value) } }
    mutating func encode(_ value: Int8) throws { try self.literal { $0.appendInteger(value) } }
    mutating func encode(_ value: Int16) throws { try self.literal { $0.appendInteger(value) } }
    mutating func encode(_ value: Int32) throws { try self.literal { $0.appendInteger(value) } }
    mutating func encode(_ value: Int64) throws { try self.literal { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt) throws { try self.literal { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt8) throws { try self.literal { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt16) throws { try self.literal { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt32) throws { try self.literal { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt64) throws { try self.literal { $0.appendInteger(value) } }

    mutating func encode<T: Encodable>(_ value: T) throws {
        if self.encoder.slot.node != nil {
            self.encoder.problems.record("A single value container was asked to encode a second value.")
            return
        }
        try self.encoder.encodeValue(value)
    }
}

/// The key Foundation gives a super encoder's value: `super`.
struct JSONSuperKey: CodingKey {
    init() {}
    init?(stringValue: String) { if stringValue != "super" { return nil } }
    init?(intValue: Int) { nil }
    var stringValue: String { "super" }
    var intValue: Int? { nil }
}
