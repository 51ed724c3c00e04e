/// Records the first misuse of containers, which `Encoder`'s non-throwing methods cannot throw.
final class JSONTreeProblems {
    var first: String?

    func record(_ problem: String) {
        if self.first == nil { self.first = problem }
    }
}

/// An `Encoder` that builds an ordered tree, then writes it.
///
/// It handles what the stream encoder cannot: containers written out of order, super encoders,
/// and sorted keys. Each value fills a ``JSONTreeSlot`` placed in its parent when it is created,
/// so a value may be completed later, as Foundation's encoder allows.
final class JSONTreeEncoder: Encoder {
    let options: JSONEncodingOptions
    let slot: JSONTreeSlot
    let problems: JSONTreeProblems
    let codingPath: [any CodingKey]

    var userInfo: [CodingUserInfoKey: Any] { self.options.userInfo }

    init(options: JSONEncodingOptions, slot: JSONTreeSlot, problems: JSONTreeProblems, codingPath: [any CodingKey]) {
        self.options = options
        self.slot = slot
        self.problems = problems
        self.codingPath = codingPath
    }

    /// Encodes `value` as a whole document.
    static func encodeTopLevel<T: Encodable>(_ value: T, options: JSONEncodingOptions) throws -> JSONOutput {
        let problems = JSONTreeProblems()
        let encoder = JSONTreeEncoder(options: options, slot: JSONTreeSlot(), problems: problems, codingPath: [])
        try encoder.encodeValue(value)
        if let problem = problems.first {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: problem))
        }
        guard encoder.slot.node != nil else {
            throw EncodingError.invalidValue(
                value,
                .init(codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values.")
            )
        }
        var output = JSONOutput()
        output.append(encoder.slot, sortsKeys: options.sortsKeys)
        return output
    }

    /// Fills this encoder's slot with `value`.
    func encodeValue<T: Encodable>(_ value: T) throws {
        var scratch = JSONOutput(capacity: 64)
        defer { scratch.deallocate() }
        if try scratch.appendKnown(value, options: self.options, codingPath: self.codingPath) {
            self.fill(literal: scratch)
        } else if self.options.snakeCaseKeys, let dictionary = value as? any JSONStringKeyedDictionary {
            // Foundation's encoder writes `[String: Encodable]` keys unconverted.
            let object = JSONTreeObject()
            self.slot.node = .object(object)
            try dictionary.forEachEntry { key, value in
                let slot = JSONTreeSlot()
                object.set(slot, forKey: key)
                try self.child(slot, key: JSONDictionaryKey(stringValue: key), basePath: self.codingPath).encodeValue(value)
            }
        } else {
            try value.encode(to: self)
        }
    }

    /// Fills this encoder's slot with the JSON text `write` produces.
    func encodeLiteral(_ write: (inout JSONOutput) throws -> Void) throws {
        var scratch = JSONOutput(capacity: 32)
        defer { scratch.deallocate() }
        try write(&scratch)
        self.fill(literal: scratch)
    }

    private func fill(literal: JSONOutput) {
        guard self.slot.node == nil else {
            self.problems.record("A single value container was asked to encode a second value.")
            return
        }
        self.slot.node = .literal(literal.withBytes { Array($0) })
    }

    /// A child encoder for a new slot under `key`.
    func child(_ slot: JSONTreeSlot, key: any CodingKey, basePath: [any CodingKey]) -> JSONTreeEncoder {
        JSONTreeEncoder(options: self.options, slot: slot, problems: self.problems, codingPath: basePath + [key])
    }

    func convertedKey(_ key: some CodingKey) -> String {
        self.options.snakeCaseKeys ? JSONSnakeCase.convert(key.stringValue) : key.stringValue
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: JSONTreeObject
        switch self.slot.node {
        case nil:
            object = JSONTreeObject()
            self.slot.node = .object(object)
        case .object(let existing):
            object = existing
        case .array, .literal:
            self.problems.record("A keyed container was requested for a value that already holds another kind of value.")
            object = JSONTreeObject()
        }
        return KeyedEncodingContainer(JSONTreeKeyedContainer(encoder: self, object: object, codingPath: self.codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: JSONTreeArray
        switch self.slot.node {
        case nil:
            array = JSONTreeArray()
            self.slot.node = .array(array)
        case .array(let existing):
            array = existing
        case .object, .literal:
            self.problems.record("An unkeyed container was requested for a value that already holds another kind of value.")
            array = JSONTreeArray()
        }
        return JSONTreeUnkeyedContainer(encoder: self, array: array, codingPath: self.codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONTreeSingleValueContainer(encoder: self)
    }
}
