import CLibPQ

/// Owns a libpq result and clears it when the last reference goes.
///
/// `@unchecked Sendable`: a `PGresult` is never changed after libpq hands it over, and libpq
/// documents results as safe to read from any thread; this class only reads it and frees it once.
final class ResultHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    let columns: ResultColumns
    let rowCount: Int

    /// Takes over `pointer`, sharing `columns` when they describe it (a prepared statement's
    /// earlier result), and reading its columns otherwise.
    init(_ pointer: OpaquePointer, columns: ResultColumns? = nil) {
        self.pointer = pointer
        self.columns = if let columns, columns.describes(pointer) { columns } else { ResultColumns(of: pointer) }
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
        return PostgresCell(bytes: bytes, dataType: columns.types[column], columnName: columns.names[column])
    }
}
