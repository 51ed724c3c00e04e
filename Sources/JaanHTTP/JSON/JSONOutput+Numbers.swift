extension JSONOutput {
    /// Appends an integer in decimal, as its `description` would read.
    @inline(__always)
    mutating func appendInteger<T: FixedWidthInteger>(_ value: T) {
        if T.isSigned && value < 0 {
            self.appendDecimal(UInt64(truncatingIfNeeded: value).twosComplementNegated, negative: true)
        } else {
            self.appendDecimal(UInt64(truncatingIfNeeded: value), negative: false)
        }
    }

    private mutating func appendDecimal(_ magnitude: UInt64, negative: Bool) {
        // 20 digits hold UInt64.max; one more for the sign.
        self.reserve(21)
        var digits = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        var offset = 0
        if negative {
            self.store(JSONByte.minus, at: 0)
            offset = 1
        }
        var rest = magnitude
        var position = offset + digits - 1
        while position >= offset {
            self.store(JSONByte.zero &+ UInt8(truncatingIfNeeded: rest % 10), at: position)
            rest /= 10
            position -= 1
        }
        self.advance(by: offset + digits)
    }

    /// Appends a finite `Double` in its shortest round-trip form, without a trailing `.0`,
    /// as Foundation's `JSONEncoder` writes it (`1`, `0.1`, `1e-05`, `1e+16`, `-0`).
    mutating func appendDouble(_ value: Double) {
        // Integers below 1e15 print without exponent; their description is the integer and `.0`.
        if value.rounded(.towardZero) == value && abs(value) < 1e15 && !(value == 0 && value.sign == .minus) {
            self.appendInteger(Int64(value))
            return
        }
        self.appendFloatDescription(value.description)
    }

    /// Appends a finite `Float` in its shortest round-trip form, as Foundation's `JSONEncoder` writes it.
    mutating func appendFloat(_ value: Float) {
        self.appendFloatDescription(value.description)
    }

    private mutating func appendFloatDescription(_ description: String) {
        var description = description
        description.withUTF8 { utf8 in
            var count = utf8.count
            if count >= 2 && utf8[count - 2] == UInt8(ascii: ".") && utf8[count - 1] == JSONByte.zero {
                count -= 2
            }
            self.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[0..<count])))
        }
    }
}

extension UInt64 {
    /// The magnitude of a negative two's complement value, `Int64.min` included.
    fileprivate var twosComplementNegated: UInt64 { ~self &+ 1 }
}
