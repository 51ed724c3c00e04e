/// The prepared statements of one connection, by SQL text and parameter types, bounded in size.
struct StatementCache {
    struct Key: Hashable {
        var sql: String
        var types: [UInt32]
    }

    /// A statement prepared on the connection, and the columns its results have.
    ///
    /// Not `Sendable`: like the cache, it is used only by the connection's one running operation.
    final class Statement {
        let name: String
        /// The columns of the statement's last result, shared by its next results; `nil` until it first runs.
        var columns: ResultColumns?

        init(name: String) { self.name = name }
    }

    private struct Entry {
        var statement: Statement
        var lastUse: UInt64
    }

    let capacity: Int
    private var entries: [Key: Entry] = [:]
    private var useCounter: UInt64 = 0
    private var nameCounter = 0

    init(capacity: Int) { self.capacity = capacity }

    var count: Int { entries.count }

    /// The statement prepared for `key`, marking it as recently used.
    mutating func statement(for key: Key) -> Statement? {
        useCounter &+= 1
        guard let index = entries.index(forKey: key) else { return nil }
        entries.values[index].lastUse = useCounter
        return entries.values[index].statement
    }

    /// Reserves a new statement name for `key`, and evicts the least recently used entry when full.
    /// - Returns: The new statement and the evicted statement's name, which the caller deallocates.
    mutating func add(_ key: Key) -> (statement: Statement, evicted: String?) {
        var evicted: String?
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            evicted = oldest.value.statement.name
            entries[oldest.key] = nil
        }
        nameCounter += 1
        useCounter &+= 1
        let statement = Statement(name: "jaan_\(nameCounter)")
        entries[key] = Entry(statement: statement, lastUse: useCounter)
        return (statement, evicted)
    }

    mutating func remove(_ key: Key) { entries[key] = nil }

    mutating func removeAll() { entries.removeAll() }
}
