/// The prepared statements of one connection, by SQL text and parameter types, bounded in size.
struct StatementCache {
    struct Key: Hashable {
        var sql: String
        var types: [UInt32]
    }

    private struct Entry {
        var name: String
        var lastUse: UInt64
    }

    let capacity: Int
    private var entries: [Key: Entry] = [:]
    private var useCounter: UInt64 = 0
    private var nameCounter = 0

    init(capacity: Int) { self.capacity = capacity }

    var count: Int { entries.count }

    /// The name of the statement prepared for `key`, marking it as recently used.
    mutating func name(for key: Key) -> String? {
        useCounter &+= 1
        guard let index = entries.index(forKey: key) else { return nil }
        entries.values[index].lastUse = useCounter
        return entries.values[index].name
    }

    /// Reserves a new statement name for `key`, and evicts the least recently used entry when full.
    /// - Returns: The new name and the evicted statement's name, which the caller deallocates.
    mutating func add(_ key: Key) -> (name: String, evicted: String?) {
        var evicted: String?
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            evicted = oldest.value.name
            entries[oldest.key] = nil
        }
        nameCounter += 1
        useCounter &+= 1
        let name = "jaan_\(nameCounter)"
        entries[key] = Entry(name: name, lastUse: useCounter)
        return (name, evicted)
    }

    mutating func remove(_ key: Key) { entries[key] = nil }

    mutating func removeAll() { entries.removeAll() }
}
