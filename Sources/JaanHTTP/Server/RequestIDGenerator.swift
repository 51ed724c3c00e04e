import HTTPTypes

/// Request ids for one connection: a random connection prefix and a counter, unique without a lock.
struct RequestIDGenerator {
    private let prefix = String(UInt64.random(in: .min ... .max), radix: 16)
    private var counter: UInt64 = 0

    /// The id to use for `request`: the client's `X-Request-Id` when it is short and printable, else a new one.
    mutating func id(for request: HTTPRequest) -> String {
        if let given = request.headerFields[.requestID], (1...200).contains(given.utf8.count),
            given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        {
            return given
        }
        self.counter &+= 1
        // One allocation: concatenating would allocate for the prefix and dash, then again to append the counter.
        let counter = String(self.counter)
        let prefix = self.prefix
        return String(unsafeUninitializedCapacity: prefix.utf8.count + 1 + counter.utf8.count) { bytes in
            var index = bytes.initialize(fromContentsOf: prefix.utf8)
            bytes[index] = UInt8(ascii: "-")
            index += 1
            return bytes[index...].initialize(fromContentsOf: counter.utf8)
        }
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`.
    static let requestID = HTTPField.Name("X-Request-Id")!
}
