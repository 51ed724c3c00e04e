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
        return self.prefix + "-" + String(self.counter)
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`.
    static let requestID = HTTPField.Name("X-Request-Id")!
}
