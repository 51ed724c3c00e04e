/// The rows a statement returned, held in memory.
///
/// Iterate the rows, or decode them all into a `Decodable` type whose properties match the column names:
///
/// ```swift
/// struct User: Decodable { var id: Int; var name: String; var email: String? }
/// let users = try await connection.query("SELECT id, name, email FROM users").decode(User.self)
/// ```
public struct PostgresRows: Sendable, RandomAccessCollection {
    let result: ResultHandle

    init(result: ResultHandle) { self.result = result }

    /// The index of the first row.
    public var startIndex: Int { 0 }
    /// The index past the last row.
    public var endIndex: Int { result.rowCount }
    /// The row at `index`.
    public subscript(index: Int) -> PostgresRow { PostgresRow(result: result, index: index) }

    /// The columns' names, in order.
    public var columnNames: [String] { result.columns.names }
    /// The columns' PostgreSQL types, in order.
    public var columnTypes: [PostgresDataType] { result.columns.types }
    /// The number of rows the statement inserted, updated, deleted, copied or returned.
    public var affectedRows: Int { result.affectedRows }
    /// The statement's command tag, for example `INSERT 0 3` or `SELECT 10`.
    public var commandTag: String { result.commandTag }

    /// Decodes every row into `type`, matching its coding keys to column names.
    ///
    /// - Parameters:
    ///   - type: The type of a row. Its properties may be any ``PostgresDecodable`` type
    ///     (optional for NULLable columns) or, for `json`/`jsonb` columns, any `Decodable` type.
    ///   - keyDecodingStrategy: How coding keys map to column names. Defaults to `.useDefaultKeys`.
    /// - Throws: ``PostgresDecodingError`` naming the column that failed.
    public func decode<Row: Decodable>(
        _ type: Row.Type,
        keyDecodingStrategy: PostgresKeyDecodingStrategy = .useDefaultKeys
    ) throws -> [Row] {
        let columns = ColumnLookup(result.columns, strategy: keyDecodingStrategy)
        var decoded: [Row] = []
        decoded.reserveCapacity(result.rowCount)
        // A single column of a PostgresDecodable type decodes as that value; checked once, not per row.
        if result.columns.names.count == 1, let single = Row.self as? any PostgresDecodable.Type {
            for index in 0..<result.rowCount {
                decoded.append(try single.init(postgresCell: result.cell(row: index, column: 0)) as! Row)
            }
            return decoded
        }
        for index in 0..<result.rowCount {
            decoded.append(try Row(from: RowDecoder(result: result, row: index, columns: columns)))
        }
        return decoded
    }
}

/// How the coding keys of a decoded struct map to column names.
public struct PostgresKeyDecodingStrategy: Sendable, Hashable {
    let convertsSnakeCase: Bool

    /// A key matches the column of the same name.
    public static let useDefaultKeys = PostgresKeyDecodingStrategy(convertsSnakeCase: false)
    /// A key matches the column of the same name or its snake-case form (`createdAt` reads `created_at`).
    public static let convertFromSnakeCase = PostgresKeyDecodingStrategy(convertsSnakeCase: true)
}

/// One row of a result.
public struct PostgresRow: Sendable {
    let result: ResultHandle
    let index: Int

    /// Decodes the value of the column named `column`.
    ///
    /// - Throws: ``PostgresDecodingError`` naming the column if it is missing, NULL for a
    ///   non-optional type, or of a type that cannot be decoded as `Value`.
    public func decode<Value: PostgresDecodable>(_ type: Value.Type, column: String) throws -> Value {
        guard let position = result.columns.names.firstIndex(of: column) else {
            throw PostgresDecodingError(reason: .missingColumn, column: column, swiftType: "\(Value.self)", postgresType: nil)
        }
        return try Value(postgresCell: result.cell(row: index, column: position))
    }

    /// Decodes the value of the column at `position` (0 for the first).
    ///
    /// - Throws: ``PostgresDecodingError`` naming the column if it is NULL for a non-optional
    ///   type or of a type that cannot be decoded as `Value`.
    public func decode<Value: PostgresDecodable>(_ type: Value.Type, at position: Int) throws -> Value {
        guard position >= 0, position < result.columns.names.count else {
            throw PostgresDecodingError(reason: .missingColumn, column: "#\(position)", swiftType: "\(Value.self)", postgresType: nil)
        }
        return try Value(postgresCell: result.cell(row: index, column: position))
    }

    /// Decodes the row into `type`, matching its coding keys to column names.
    ///
    /// - Parameters:
    ///   - type: The type of the row.
    ///   - keyDecodingStrategy: How coding keys map to column names. Defaults to `.useDefaultKeys`.
    public func decode<Row: Decodable>(
        _ type: Row.Type,
        keyDecodingStrategy: PostgresKeyDecodingStrategy = .useDefaultKeys
    ) throws -> Row {
        let columns = ColumnLookup(result.columns, strategy: keyDecodingStrategy)
        return try RowDecoder(result: result, row: index, columns: columns).decode(Row.self)
    }
}
