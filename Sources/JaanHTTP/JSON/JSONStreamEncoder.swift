/// The encoder's state behind a stable pointer, so hot writes skip class exclusivity checks.
struct JSONStreamState {
    /// An open object or array.
    struct Frame {
        var id: UInt32
        var isObject: Bool
        var count: Int
    }

    var output = JSONOutput(capacity: 2048)
    /// Open containers, outermost first.
    var frames: [Frame] = []
    /// The first frame that belongs to the value being encoded now.
    var slotBase = 0
    /// Where the value being encoded now starts in `output`.
    var slotStart = 0
    /// Identifies the value being encoded now, for single-value containers.
    var slotID: UInt32 = 0
    var nextID: UInt32 = 0
    /// Set when a value used its containers in a way that cannot be written in order.
    var mustFallBack = false
    /// The coding path of the value being encoded now.
    var codingPath: [any CodingKey] = []

    init() {
        self.frames.reserveCapacity(8)
    }

    mutating func makeID() -> UInt32 {
        self.nextID &+= 1
        return self.nextID
    }
}

/// Thrown inside the stream encoder to give up on streaming; never leaves ``JSONResponseEncoder``.
struct JSONStreamFallback: Error {}

/// An `Encoder` that writes JSON text as values encode themselves.
///
/// Each value being encoded is a slot: the containers it opens are frames pushed on a stack and
/// closed when its `encode(to:)` returns, or when an enclosing container is written to again.
/// A write through a container that is no longer open, a `superEncoder()`, or a second value
/// through a single-value container cannot be streamed: the encoder then flags itself and the
/// caller re-encodes through ``JSONTreeEncoder``.
final class JSONStreamEncoder: Encoder {
    let options: JSONEncodingOptions
    let state: UnsafeMutablePointer<JSONStreamState>

    var codingPath: [any CodingKey] { self.state.pointee.codingPath }

    var userInfo: [CodingUserInfoKey: Any] { self.options.userInfo }

    init(options: JSONEncodingOptions) {
        self.options = options
        self.state = .allocate(capacity: 1)
        self.state.initialize(to: JSONStreamState())
    }

    deinit {
        self.state.pointee.output.deallocate()
        self.state.deinitialize(count: 1)
        self.state.deallocate()
    }

    /// Encodes `value` as a whole document.
    /// - Returns: The output, now owned by the caller, or `nil` when the value must be encoded
    ///   through the tree encoder instead.
    func encodeTopLevel<T: Encodable>(_ value: T) throws -> JSONOutput? {
        do {
            try self.encodeSlot(value, emptyIsObject: false)
        } catch is JSONStreamFallback {
            return nil
        }
        if self.state.pointee.mustFallBack {
            return nil
        }
        if self.state.pointee.output.count == 0 {
            throw EncodingError.invalidValue(
                value,
                .init(codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values.")
            )
        }
        // Hand the bytes over: the encoder's deinit frees a fresh empty output instead.
        let output = self.state.pointee.output
        self.state.pointee.output = JSONOutput(capacity: 1)
        return output
    }

    /// Writes one value in a new slot; a value that encodes nothing becomes `{}` like Foundation's.
    func encodeSlot<T: Encodable>(_ value: T, emptyIsObject: Bool = true) throws {
        if try self.state.pointee.output.appendKnown(value, options: self.options, codingPath: self.codingPath) {
            return
        }
        let saved = (self.state.pointee.slotBase, self.state.pointee.slotStart, self.state.pointee.slotID)
        self.state.pointee.slotBase = self.state.pointee.frames.count
        self.state.pointee.slotStart = self.state.pointee.output.count
        self.state.pointee.slotID = self.state.pointee.makeID()
        if self.options.snakeCaseKeys, let dictionary = value as? any JSONStringKeyedDictionary {
            try self.encodeVerbatimKeys(dictionary)
        } else {
            try value.encode(to: self)
        }
        let base = self.state.pointee.slotBase
        if self.state.pointee.frames.count > base {
            self.closeFrames(above: base - 1)
        } else if emptyIsObject && self.state.pointee.output.count == self.state.pointee.slotStart {
            self.state.pointee.output.append(JSONByte.openBrace, JSONByte.closeBrace)
        }
        (self.state.pointee.slotBase, self.state.pointee.slotStart, self.state.pointee.slotID) = saved
    }

    /// Writes a `[String: Encodable]` dictionary with its keys unconverted, like Foundation's encoder.
    private func encodeVerbatimKeys(_ dictionary: any JSONStringKeyedDictionary) throws {
        let (index, id) = self.pushFrame(isObject: true)
        try dictionary.forEachEntry { key, value in
            if try self.beginEntry(frame: index, id: id) > 0 {
                self.state.pointee.output.append(JSONByte.comma)
            }
            self.state.pointee.output.appendQuoted(key)
            self.state.pointee.output.append(JSONByte.colon)
            try self.encodeChild(value, key: JSONDictionaryKey(stringValue: key), nestedPath: nil)
        }
    }

    /// Writes a value under `key` of a container whose path is the current one, or `nestedPath`
    /// for a nested container.
    @inline(__always)
    func encodeChild<T: Encodable>(_ value: T, key: any CodingKey, nestedPath: [any CodingKey]?) throws {
        if let nestedPath {
            let saved = self.state.pointee.codingPath
            self.state.pointee.codingPath = nestedPath + [key]
            defer { self.state.pointee.codingPath = saved }
            try self.encodeSlot(value)
        } else {
            if self.state.pointee.codingPath.capacity == 0 {
                // Allocated on the first nested value only; flat values never need it.
                self.state.pointee.codingPath.reserveCapacity(8)
            }
            self.state.pointee.codingPath.append(key)
            defer { self.state.pointee.codingPath.removeLast() }
            try self.encodeSlot(value)
        }
    }

    /// Closes every open frame above `index`.
    func closeFrames(above index: Int) {
        while self.state.pointee.frames.count > index + 1 {
            let frame = self.state.pointee.frames.removeLast()
            self.state.pointee.output.append(frame.isObject ? JSONByte.closeBrace : JSONByte.closeBracket)
        }
    }

    /// Checks that the frame is open and belongs to the value being encoded, closes its nested
    /// frames, and counts one more entry in it.
    /// - Returns: The number of entries before this one.
    /// - Throws: ``JSONStreamFallback`` when the write cannot be streamed.
    @inline(__always)
    func beginEntry(frame index: Int, id: UInt32) throws -> Int {
        let state = self.state
        guard index >= state.pointee.slotBase, index < state.pointee.frames.count, state.pointee.frames[index].id == id else {
            state.pointee.mustFallBack = true
            throw JSONStreamFallback()
        }
        if state.pointee.frames.count > index + 1 {
            self.closeFrames(above: index)
        }
        let count = state.pointee.frames[index].count
        state.pointee.frames[index].count = count + 1
        return count
    }

    /// Writes the separator and `"key":` for an entry of an object frame.
    @inline(__always)
    func beginKeyedEntry(frame index: Int, id: UInt32, key: some CodingKey) throws {
        if try self.beginEntry(frame: index, id: id) > 0 {
            self.state.pointee.output.append(JSONByte.comma)
        }
        if self.options.snakeCaseKeys {
            self.state.pointee.output.appendQuoted(JSONSnakeCase.convert(key.stringValue))
        } else {
            self.state.pointee.output.appendQuoted(key.stringValue)
        }
        self.state.pointee.output.append(JSONByte.colon)
    }

    /// Opens a frame, writing `{` or `[`.
    func pushFrame(isObject: Bool) -> (index: Int, id: UInt32) {
        let id = self.state.pointee.makeID()
        self.state.pointee.output.append(isObject ? JSONByte.openBrace : JSONByte.openBracket)
        self.state.pointee.frames.append(.init(id: id, isObject: isObject, count: 0))
        return (self.state.pointee.frames.count - 1, id)
    }

    /// The current value's container of the given kind: the one it already opened, or a new one.
    private func slotFrame(isObject: Bool) -> (index: Int, id: UInt32) {
        let base = self.state.pointee.slotBase
        if self.state.pointee.frames.count > base {
            let frame = self.state.pointee.frames[base]
            if frame.isObject != isObject {
                self.state.pointee.mustFallBack = true
            }
            self.closeFrames(above: base)
            return (base, frame.id)
        }
        if self.state.pointee.output.count > self.state.pointee.slotStart {
            self.state.pointee.mustFallBack = true
        }
        return self.pushFrame(isObject: isObject)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let (index, id) = self.slotFrame(isObject: true)
        return KeyedEncodingContainer(JSONStreamKeyedContainer(encoder: self, frame: index, id: id, nestedPath: nil))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let (index, id) = self.slotFrame(isObject: false)
        return JSONStreamUnkeyedContainer(encoder: self, frame: index, id: id, nestedPath: nil)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONStreamSingleValueContainer(encoder: self, slotID: self.state.pointee.slotID)
    }

    /// Checks that a single-value container may write its value now.
    /// - Throws: ``JSONStreamFallback`` when its value is no longer the one being encoded, or
    ///   already holds something.
    func beginSingleValue(slotID: UInt32) throws {
        let state = self.state
        guard state.pointee.slotID == slotID, state.pointee.frames.count == state.pointee.slotBase,
            state.pointee.output.count == state.pointee.slotStart
        else {
            state.pointee.mustFallBack = true
            throw JSONStreamFallback()
        }
    }
}
