/// Byte-level helpers for header values: HTTP's tokens are ASCII and compared without regard to
/// case, here without allocating strings.
enum ASCII {
    /// The byte in lowercase, for ASCII letters; other bytes unchanged.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    /// Whether `bytes` equal `lowercase` (given in lowercase) without regard to case.
    static func equalsIgnoringCase(_ bytes: some Collection<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else {
            return false
        }
        return lowercase.withUTF8Buffer { expected in
            zip(bytes, expected).allSatisfy { Self.lowercased($0) == $1 }
        }
    }

    /// Whether `bytes` start with `lowercase` (given in lowercase) without regard to case.
    static func hasPrefixIgnoringCase(_ bytes: some Collection<UInt8>, _ lowercase: StaticString) -> Bool {
        bytes.count >= lowercase.utf8CodeUnitCount && Self.equalsIgnoringCase(bytes.prefix(lowercase.utf8CodeUnitCount), lowercase)
    }

    /// Whether `bytes` end with `lowercase` (given in lowercase) without regard to case.
    static func hasSuffixIgnoringCase(_ bytes: some Collection<UInt8>, _ lowercase: StaticString) -> Bool {
        let count = lowercase.utf8CodeUnitCount
        guard bytes.count >= count else {
            return false
        }
        return Self.equalsIgnoringCase(bytes.dropFirst(bytes.count - count), lowercase)
    }

    /// `bytes` without leading and trailing spaces and tabs (HTTP's optional whitespace).
    static func trimmingWhitespace<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bytes.SubSequence {
        let isWhitespace: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isWhitespace($0) }) else {
            return bytes[bytes.endIndex...]
        }
        var end = bytes.endIndex
        var index = first
        while index != bytes.endIndex {
            if !isWhitespace(bytes[index]) {
                end = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        return bytes[first..<end]
    }
}
