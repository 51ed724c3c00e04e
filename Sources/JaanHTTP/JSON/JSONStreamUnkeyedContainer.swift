/// Writes the elements of one JSON array as they are encoded.
struct JSONStreamUnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: JSONStreamEncoder
    let frame: Int
    let id: UInt32
    /// The path of a nested container; `nil` for the container of the value being encoded, whose
    /// path is the encoder's (entries are only written while that value is being encoded).
    let nestedPath: [any CodingKey]?

    var codingPath: [any CodingKey] { self.nestedPath ?? self.encoder.codingPath }

    var count: Int {
        let frames = self.encoder.state.pointee.frames
        guard self.frame < frames.count, frames[self.frame].id == self.id else { return 0 }
        return frames[self.frame].count
    }

    /// Counts and separates a new element.
    /// - Returns: The element's index.
    @inline(__always)
    @discardableResult
    private func begin() throws -> Int {
        let index = try self.encoder.beginEntry(frame: self.frame, id: self.id)
        if index > 0 {
            self.encoder.state.pointee.output.append(JSONByte.comma)
        }
        return index
    }

    /// The coding path of the element being written, after ``begin()`` counted it.
    private var elementPath: [any CodingKey] {
        self.codingPath + [JSONIndexKey(index: self.count - 1)]
    }

    @inline(__always)
    private func writeInteger<T: FixedWidthInteger>(_ value: T) throws {
        try self.begin()
        self.encoder.state.pointee.output.appendInteger(value)
    }

    mutating func encodeNil() throws {
        try self.begin()
        self.encoder.state.pointee.output.appendNull()
    }

    mutating func encode(_ value: Bool) throws {
        try self.begin()
        self.encoder.state.pointee.output.appendBool(value)
    }

    mutating func encode(_ value: String) throws {
        try self.begin()
        self.encoder.state.pointee.output.appendQuoted(value)
    }

    mutating func encode(_ value: Double) throws {
        try self.begin()
        try self.encoder.state.pointee.output.appendChecked(value, codingPath: self.elementPath)
    }

    mutating func encode(_ value: Float) throws {
        try self.begin()
        try self.encoder.state.pointee.output.appendChecked(value, codingPath: self.elementPath)
    }

    mutating func encode(_ value: Int) throws { try self.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { try self.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { try self.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { try self.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { try self.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { try self.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { try self.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { try self.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { try self.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { try self.writeInteger(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = try self.begin()
        try self.encoder.encodeChild(value, key: JSONIndexKey(index: index), nestedPath: self.nestedPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let (index, id) = self.openNested(isObject: true)
        return KeyedEncodingContainer(
            JSONStreamKeyedContainer<NestedKey>(encoder: self.encoder, frame: index, id: id, nestedPath: self.elementPath)
        )
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let (index, id) = self.openNested(isObject: false)
        return JSONStreamUnkeyedContainer(encoder: self.encoder, frame: index, id: id, nestedPath: self.elementPath)
    }

    private func openNested(isObject: Bool) -> (index: Int, id: UInt32) {
        do {
            try self.begin()
        } catch {
            // Flagged for the tree encoder; what this container writes now is thrown away.
        }
        return self.encoder.pushFrame(isObject: isObject)
    }

    mutating func superEncoder() -> any Encoder {
        self.encoder.state.pointee.mustFallBack = true
        return self.encoder
    }
}

/// Writes the one value of a slot.
struct JSONStreamSingleValueContainer: SingleValueEncodingContainer {
    let encoder: JSONStreamEncoder
    let slotID: UInt32

    /// The encoder's path: the value is only written while its slot is the one being encoded.
    var codingPath: [any CodingKey] { self.encoder.codingPath }

    @inline(__always)
    private func begin() throws {
        try self.encoder.beginSingleValue(slotID: self.slotID)
    }

    @inline(__always)
    private func writeInteger<T: FixedWidthInteger>(_ value: T) throws {
        try self.begin()
        self.encoder.state.pointee.output.appendInteger(value)
    }

    mutating func encodeNil() throws {
        try self.begin()
        self.encoder.state.pointee.output.appendNull()
    }

    mutating func encode(_ value: Bool) throws {
        try self.begin()
        self.encoder.state.pointee.output.appendBool(value)
    }

    mutating func encode(_ value: String) throws {
        try self.begin()
        self.encoder.state.pointee.output.appendQuoted(value)
    }

    mutating func encode(_ value: Double) throws {
        try self.begin()
        try self.encoder.state.pointee.output.appendChecked(value, codingPath: self.codingPath)
    }

    mutating func encode(_ value: Float) throws {
        try self.begin()
        try self.encoder.state.pointee.output.appendChecked(value, codingPath: self.codingPath)
    }

    mutating func encode(_ value: Int) throws { try self.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { try self.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { try self.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { try self.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { try self.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { try self.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { try self.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { try self.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { try self.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { try self.writeInteger(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try self.begin()
        try self.encoder.encodeSlot(value)
    }
}

/// The coding key of an array element.
struct JSONIndexKey: CodingKey {
    let index: Int

    init(index: Int) {
        self.index = index
    }

    init?(stringValue: String) {
        guard let index = Int(stringValue) else { return nil }
        self.index = index
    }

    init?(intValue: Int) {
        self.index = intValue
    }

    var stringValue: String { "Index \(self.index)" }
    var intValue: Int? { self.index }
}
