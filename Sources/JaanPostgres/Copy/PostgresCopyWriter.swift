import CLibPQ

/// Streams rows into a `COPY ... FROM STDIN`, given to the closure of
/// ``PostgresConnection/copyFrom(table:columns:_:)``.
///
/// Rows are written in PostgreSQL's text COPY format with every field escaped, so a value can
/// never end a field or a row early, and are sent in chunks as the buffer fills.
public final class PostgresCopyWriter {
    let connection: LibPQConnection
    var buffer: [UInt8] = []
    /// The chunk size at which buffered rows are sent to the server.
    let chunkSize = 256 * 1024
    private(set) var rowsWritten = 0

    init(connection: LibPQConnection) {
        self.connection = connection
        buffer.reserveCapacity(chunkSize + 4096)
    }

    /// Writes one row: one value for each column named in the COPY, in order.
    ///
    /// ```swift
    /// try await writer.write(id, name, Optional<Date>.none)
    /// ```
    ///
    /// - Throws: ``PostgresError`` with code ``PostgresError/Code/invalidBind`` for a value with a NUL
    ///   character; connection errors; `CancellationError` when the task is cancelled.
    public func write<each Value: PostgresEncodable>(_ value: repeat each Value) async throws {
        var first = true
        for field in repeat each value {
            if !first { buffer.append(UInt8(ascii: "\t")) }
            first = false
            try append(field)
        }
        buffer.append(UInt8(ascii: "\n"))
        rowsWritten += 1
        if buffer.count >= chunkSize { try await send() }
    }

    private func append(_ field: some PostgresEncodable) throws {
        guard !field.isPostgresNull else {
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(UInt8(ascii: "N"))
            return
        }
        let start = buffer.count
        var text = PostgresTextBuffer(bytes: buffer)
        buffer = []
        field.encode(into: &text)
        buffer = text.bytes
        var needsEscape = false
        for byte in buffer[start...] {
            switch byte {
            case 0: throw PostgresError.invalidBind("a COPY value contains a NUL character")
            case UInt8(ascii: "\\"), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): needsEscape = true
            default: continue
            }
        }
        guard needsEscape else { return }
        let raw = Array(buffer[start...])
        buffer.removeSubrange(start...)
        for byte in raw {
            switch byte {
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\t"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            default: buffer.append(byte)
            }
        }
    }

    /// Hands the buffered rows to libpq and pushes them to the server.
    func send() async throws {
        try Task.checkCancellation()
        guard !buffer.isEmpty else { return }
        while true {
            let status = buffer.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(connection.pointer, $0.baseAddress, Int32($0.count)) }
            }
            if status == 1 { break }
            if status < 0 { throw PostgresError.connectionClosed(connection.errorMessage) }
            try await connection.flush()
        }
        buffer.removeAll(keepingCapacity: true)
        try await connection.flush()
        // A long load must not hold a cooperative thread while the socket keeps up.
        await Task.yield()
    }
}
