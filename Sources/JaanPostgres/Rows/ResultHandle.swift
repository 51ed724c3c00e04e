import CLibPQ

/// Owns a libpq result and clears it when the last reference goes.
///
/// `@unchecked Sendable`: a `PGresult` is never changed after libpq hands it over, and libpq
/// documents results as safe to read from any thread; this class only reads it and frees it once.
final class ResultHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    let columnNames: [String]
    let columnTypes: [PostgresDataType]
    let rowCount: Int

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
        let columns = Int(PQnfields(pointer))
        var names: [String] = []
        var types: [PostgresDataType] = []
        names.reserveCapacity(columns)
        types.reserveCapacity(columns)
        for column in 0..<Int32(columns) {
            names.append(PQfname(pointer, column).map { String(cString: $0) } ?? "")
            types.append(PostgresDataType(oid: PQftype(pointer, column)))
        }
        self.columnNames = names
        self.columnTypes = types
        self.rowCount = Int(PQntuples(pointer))
    }

    deinit { PQclear(pointer) }

    /// The number of rows the statement changed or returned, from its command tag.
    var affectedRows: Int { Int(String(cString: PQcmdTuples(pointer))) ?? 0 }

    /// The statement's command tag, for example `INSERT 0 3`.
    var commandTag: String { String(cString: PQcmdStatus(pointer)) }

    func cell(row: Int, column: Int) -> PostgresCell {
        let bytes: UnsafeBufferPointer<UInt8>?
        if PQgetisnull(pointer, Int32(row), Int32(column)) != 0 {
            bytes = nil
        } else {
            let start = PQgetvalue(pointer, Int32(row), Int32(column))!
            let length = Int(PQgetlength(pointer, Int32(row), Int32(column)))
            bytes = UnsafeBufferPointer(start: UnsafeRawPointer(start).assumingMemoryBound(to: UInt8.self), count: length)
        }
        return PostgresCell(bytes: bytes, dataType: columnTypes[column], columnName: columnNames[column])
    }
}
