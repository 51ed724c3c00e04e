import NIOCore

/// Deterministic inputs for the tests.
enum TestData {
    /// JSON like an API's list response, about `size` bytes long.
    static func json(size: Int) -> [UInt8] {
        var text = "["
        var index = 0
        while text.utf8.count < size {
            if index > 0 { text += "," }
            text +=
                #"{"id":\#(index),"name":"member-\#(index * 7919 % 10007)","email":"user\#(index)@example.org","#
                + #""active":\#(index % 3 == 0),"score":\#(index * 37 % 1000).\#(index % 10),"tags":["a\#(index % 7)","b\#(index % 5)"]}"#
            index += 1
        }
        text += "]"
        return Array(text.utf8)
    }

    /// Bytes that do not compress (xorshift64 output).
    static func noise(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }
}

extension ByteBuffer {
    var bytes: [UInt8] {
        self.getBytes(at: self.readerIndex, length: self.readableBytes) ?? []
    }
}
