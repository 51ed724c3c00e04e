/// Writes the entries of one JSON object as they are encoded.
struct JSONStreamKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONStreamEncoder
    let frame: Int
    let id: UInt32
    /// The path of a nested container; `nil` for the container of the value being encoded, whose
    /// path is the encoder's (entries are only written while that value is being encoded).
    let nestedPath: [any CodingKey]?

    var codingPath: [any CodingKey] { self.nestedPath ?? self.encoder.codingPath }

    init(encoder: JSONStreamEncoder, frame: Int, id: UInt32, nestedPath: [any CodingKey]?) {
        self.encoder = encoder
        self.frame = frame
        self.id = id
        self.nestedPath = nestedPath
    }

    @inline(__always)
    private func begin(_ key: Key) throws {
        try self.encoder.beginKeyedEntry(frame: self.frame, id: self.id, key: key)
    }

    @inline(__always)
    private func writeInteger<T: FixedWidthInteger>(_ value: T, forKey key: Key) throws {
        try self.begin(key)
        self.encoder.state.pointee.output.appendInteger(value)
    }

    mutating func encodeNil(forKey key: Key) throws {
        try self.begin(key)
        self.encoder.state.pointee.output.appendNull()
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try self.begin(key)
        self.encoder.state.pointee.output.appendBool(value)
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        try self.begin(key)
        self.encoder.state.pointee.output.appendQuoted(value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        try self.begin(key)
        try self.encoder.state.pointee.output.appendChecked(value, codingPath: self.codingPath + [key])
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        try self.begin(key)
        try self.encoder.state.pointee.output.appendChecked(value, codingPath: self.codingPath + [key])
    }

    mutating func encode(_ value: Int, forKey key: Key) throws { try self.writeInteger(value, forKey: key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try self.writeInteger(value, forKey: key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try self.writeInteger(value, forKey: key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try self.writeInteger(value, forKey: key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try self.writeInteger(value, forKey: key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try self.writeInteger(value, forKey: key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try self.writeInteger(value, forKey: key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try self.writeInteger(value, forKey: key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try self.writeInteger(value, forKey: key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try self.writeInteger(value, forKey: key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try self.begin(key)
        try self.encoder.encodeChild(value, key: key, nestedPath: self.nestedPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let (index, id) = self.openNested(forKey: key, isObject: true)
        return KeyedEncodingContainer(
            JSONStreamKeyedContainer<NestedKey>(encoder: self.encoder, frame: index, id: id, nestedPath: self.codingPath + [key])
        )
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let (index, id) = self.openNested(forKey: key, isObject: false)
        return JSONStreamUnkeyedContainer(encoder: self.encoder, frame: index, id: id, nestedPath: self.codingPath + [key])
    }

    private func openNested(forKey key: Key, isObject: Bool) -> (index: Int, id: UInt32) {
        do {
            try self.begin(key)
        } catch {
            // Flagged for the tree encoder; what this container writes now is thrown away.
        }
        return self.encoder.pushFrame(isObject: isObject)
    }

    mutating func superEncoder() -> any Encoder {
        // A super encoder's value may be written at any time: only the tree encoder can place it.
        self.encoder.state.pointee.mustFallBack = true
        return self.encoder
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        self.encoder.state.pointee.mustFallBack = true
        return self.encoder
    }
}
