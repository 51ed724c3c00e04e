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
        self.reserve(utf8.count + 2)
        self.store(JSONByte.quote, at: 0)
        self.advance(by: 1)
        var runStart = 0
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte >= 0x20 && byte != JSONByte.quote && byte != JSONByte.backslash {
                index += 1
                continue
            }
            if runStart < index {
                self.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[runStart..<index])))
            }
            self.appendEscape(byte)
            index += 1
            runStart = index
        }
        if runStart < utf8.count {
            self.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count])))
        }
        self.append(JSONByte.quote)
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
