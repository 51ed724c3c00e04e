/// A value slot of the tree encoder, filled when its value encodes; empty slots print as `{}`.
final class JSONTreeSlot {
    var node: JSONTreeNode?
}

/// A JSON object whose keys keep their first position; a key written again replaces its value.
final class JSONTreeObject {
    var keys: [String] = []
    var values: [JSONTreeSlot] = []
    var positions: [String: Int] = [:]

    func set(_ slot: JSONTreeSlot, forKey key: String) {
        if let position = self.positions[key] {
            self.values[position] = slot
        } else {
            self.positions[key] = self.keys.count
            self.keys.append(key)
            self.values.append(slot)
        }
    }
}

/// A JSON array.
final class JSONTreeArray {
    var values: [JSONTreeSlot] = []
}

/// A value of the tree encoder.
enum JSONTreeNode {
    /// JSON text of a scalar, already written.
    case literal([UInt8])
    case object(JSONTreeObject)
    case array(JSONTreeArray)
}

extension JSONOutput {
    /// Writes a tree encoder's slot, with object keys in UTF-8 order when `sortsKeys` is set.
    mutating func append(_ slot: JSONTreeSlot, sortsKeys: Bool) {
        switch slot.node {
        case nil:
            self.append(JSONByte.openBrace, JSONByte.closeBrace)
        case .literal(let bytes):
            bytes.withUnsafeBytes { self.append($0) }
        case .object(let object):
            var order = Array(object.keys.indices)
            if sortsKeys {
                order.sort { object.keys[$0].utf8.lexicographicallyPrecedes(object.keys[$1].utf8) }
            }
            self.append(JSONByte.openBrace)
            for (n, position) in order.enumerated() {
                if n > 0 { self.append(JSONByte.comma) }
                self.appendQuoted(object.keys[position])
                self.append(JSONByte.colon)
                self.append(object.values[position], sortsKeys: sortsKeys)
            }
            self.append(JSONByte.closeBrace)
        case .array(let array):
            self.append(JSONByte.openBracket)
            for (n, element) in array.values.enumerated() {
                if n > 0 { self.append(JSONByte.comma) }
                self.append(element, sortsKeys: sortsKeys)
            }
            self.append(JSONByte.closeBracket)
        }
    }
}
