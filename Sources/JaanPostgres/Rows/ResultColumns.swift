import CLibPQ

/// The columns of a result: their names and types, and where each decoding key finds its column.
///
/// Built from the first result of a prepared statement and kept with the statement, whose
/// later results have the same columns (the server refuses to change a prepared statement's
/// result type), so a decode finds its columns without rebuilding names or maps per result.
final class ResultColumns: Sendable {
    let names: [String]
    let types: [PostgresDataType]
    /// Each column's position by its name; the first column of a repeated name wins.
    let positionsByName: [String: Int]
    /// Like ``positionsByName``, plus each name's camel-case form (`created_at` as `createdAt`).
    let positionsBySnakeCase: [String: Int]

    /// Reads the columns of `result`.
    init(of result: OpaquePointer) {
        let count = Int(PQnfields(result))
        var names: [String] = []
        var types: [PostgresDataType] = []
        names.reserveCapacity(count)
        types.reserveCapacity(count)
        for column in 0..<Int32(count) {
            names.append(PQfname(result, column).map { String(cString: $0) } ?? "")
            types.append(PostgresDataType(oid: PQftype(result, column)))
        }
        var byName: [String: Int] = [:]
        var bySnakeCase: [String: Int] = [:]
        for (position, name) in names.enumerated().reversed() {
            byName[name] = position
            bySnakeCase[name] = position
            bySnakeCase[Self.camelCase(name)] = position
        }
        self.names = names
        self.types = types
        self.positionsByName = byName
        self.positionsBySnakeCase = bySnakeCase
    }

    /// Whether `result` has these columns' count and types: a cheap check that a result of the
    /// same prepared statement can share them.
    func describes(_ result: OpaquePointer) -> Bool {
        guard Int(PQnfields(result)) == types.count else { return false }
        for (column, type) in types.enumerated() where PQftype(result, Int32(column)) != type.oid { return false }
        return true
    }

    /// The map from decoding key to column position that `strategy` uses.
    func positions(for strategy: PostgresKeyDecodingStrategy) -> [String: Int] {
        strategy.convertsSnakeCase ? positionsBySnakeCase : positionsByName
    }

    /// `created_at` becomes `createdAt`.
    static func camelCase(_ name: String) -> String {
        let parts = name.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = parts.first else { return name }
        return parts.dropFirst().reduce(String(first)) { $0 + $1.prefix(1).uppercased() + $1.dropFirst() }
    }
}
