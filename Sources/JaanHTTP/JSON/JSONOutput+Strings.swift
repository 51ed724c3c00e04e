extension JSONOutput {
    /// Appends `string` as a quoted JSON string.
    ///
    /// Escapes `"` and `\`, writes `\b \f \n \r \t` for those controls and `\u00XX` (lowercase hex)
    /// for the other control characters, and copies everything else, `/` and non-ASCII UTF-8
    /// included, as it is: the same text as Foundation's `JSONEncoder` with `.withoutEscapingSlashes`.
    mutating func appendQuoted(_ string: String) {
        var string = string
        string.withUTF8 { self.appendQuoted(utf8: $0) }
    }

    mutating func appendQuoted(utf8: UnsafeBufferPointer<UInt8>) {
        let count = utf8.count
        // Room for every byte unescaped and both quotes; an escape reserves its own extra room.
        self.reserve(count + 2)
        var position = self.count
        self.base[position] = JSONByte.quote
        position += 1
        guard let source = utf8.baseAddress else {
            self.base[position] = JSONByte.quote
            self.count = position + 1
            return
        }
        var index = 0
        while index < count {
            // Copy eight plain bytes at a time.
            if index + 8 <= count {
                let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
                if !Self.mayNeedEscaping(word) {
                    UnsafeMutableRawPointer(self.base + position).storeBytes(of: word, as: UInt64.self)
                    index += 8
                    position += 8
                    continue
                }
            }
            let byte = source[index]
            index += 1
            if byte >= 0x20 && byte != JSONByte.quote && byte != JSONByte.backslash {
                self.base[position] = byte
                position += 1
            } else {
                self.count = position
                self.appendEscape(byte)
                self.reserve(count - index + 1)
                position = self.count
            }
        }
        self.base[position] = JSONByte.quote
        self.count = position + 1
    }

    /// Whether any of eight bytes is a control character, a quote or a backslash (bytes of 0x80 and above
    /// are plain; the zero-byte tests are exact for "any byte").
    @inline(__always)
    private static func mayNeedEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* UInt64(JSONByte.quote))
        let backslash = word ^ (ones &* UInt64(JSONByte.backslash))
        let control = (word &- ones &* 0x20) & ~word
        let quoteZero = (quote &- ones) & ~quote
        let backslashZero = (backslash &- ones) & ~backslash
        return (control | quoteZero | backslashZero) & highs != 0
    }

    private mutating func appendEscape(_ byte: UInt8) {
        switch byte {
        case JSONByte.quote: self.append(JSONByte.backslash, JSONByte.quote)
        case JSONByte.backslash: self.append(JSONByte.backslash, JSONByte.backslash)
        case 0x08: self.append(JSONByte.backslash, UInt8(ascii: "b"))
        case 0x09: self.append(JSONByte.backslash, UInt8(ascii: "t"))
        case 0x0A: self.append(JSONByte.backslash, UInt8(ascii: "n"))
        case 0x0C: self.append(JSONByte.backslash, UInt8(ascii: "f"))
        case 0x0D: self.append(JSONByte.backslash, UInt8(ascii: "r"))
        default:
            self.reserve(6)
            self.store(JSONByte.backslash, at: 0)
            self.store(UInt8(ascii: "u"), at: 1)
            self.store(JSONByte.zero, at: 2)
            self.store(JSONByte.zero, at: 3)
            self.store(Self.lowercaseHexDigit(byte >> 4), at: 4)
            self.store(Self.lowercaseHexDigit(byte & 0xF), at: 5)
            self.advance(by: 6)
        }
    }

    private static func lowercaseHexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? JSONByte.zero + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
