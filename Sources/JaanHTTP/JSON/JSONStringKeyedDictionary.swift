/// A `[String: Encodable]` dictionary, whose keys Foundation's `JSONEncoder` writes as they are,
/// even with a key conversion strategy; the encoders do the same.
protocol JSONStringKeyedDictionary {
    /// Calls `body` with each key and value.
    func forEachEntry(_ body: (String, any Encodable) throws -> Void) rethrows
}

extension Dictionary: JSONStringKeyedDictionary where Key == String, Value: Encodable {
    func forEachEntry(_ body: (String, any Encodable) throws -> Void) rethrows {
        for (key, value) in self {
            try body(key, value)
        }
    }
}

/// The coding key of a dictionary entry, for coding paths.
struct JSONDictionaryKey: CodingKey {
    let stringValue: String
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    var intValue: Int? { nil }
}
