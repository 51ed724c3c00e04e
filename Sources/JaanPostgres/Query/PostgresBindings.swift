/// The values bound to a statement's parameters `$1`, `$2`, ..., in order.
///
/// Values are stored in PostgreSQL's text form in one contiguous buffer, ready for libpq.
public struct PostgresBindings: Sendable, Hashable {
    /// The NUL-terminated text of every non-NULL value, one after another.
    var bytes: [UInt8] = []
    /// For each value, its offset in `bytes`, or -1 for NULL.
    var offsets: [Int] = []
    /// For each value, its type's OID.
    var types: [UInt32] = []
    /// Why a value cannot be sent, if one cannot (a NUL character in its text).
    var invalidReason: String?

    /// Creates an empty list.
    public init() {}

    /// The number of values.
    public var count: Int { offsets.count }

    /// Appends a value as the next parameter.
    public mutating func append<Value: PostgresEncodable>(_ value: Value) {
        types.append(Value.postgresDataType.oid)
        guard !value.isPostgresNull else {
            offsets.append(-1)
            return
        }
        let start = bytes.count
        offsets.append(start)
        var buffer = PostgresTextBuffer(bytes: bytes)
        bytes = []
        value.encode(into: &buffer)
        bytes = buffer.bytes
        // libpq reads text parameters up to their first NUL, which would silently cut the value.
        if bytes[start...].contains(0) {
            invalidReason = "parameter $\(offsets.count) contains a NUL character"
        }
        bytes.append(0)
    }

    /// Calls `body` with the C arrays `PQsendQueryPrepared` takes: values and type OIDs.
    func withUnsafeParameters<Result>(
        _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UInt32>?) throws -> Result
    ) rethrows -> Result {
        try bytes.withUnsafeBufferPointer { storage in
            try storage.withMemoryRebound(to: CChar.self) { characters in
                var values = [UnsafePointer<CChar>?]()
                values.reserveCapacity(offsets.count)
                for offset in offsets {
                    values.append(offset < 0 ? nil : UnsafePointer(characters.baseAddress! + offset))
                }
                return try values.withUnsafeBufferPointer { valuePointers in
                    try types.withUnsafeBufferPointer { typePointers in
                        try body(valuePointers.baseAddress, typePointers.baseAddress)
                    }
                }
            }
        }
    }
}
