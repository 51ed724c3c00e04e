/// Converts camel-case coding keys to snake case with the same word boundaries as Foundation's
/// `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase`.
///
/// A word ends before an uppercase letter that follows the word's first character; a run of
/// capitals followed by a lowercase letter splits before its last capital (`myURLValue` becomes
/// `my_url_value`). Words are lowercased and joined with `_`; other characters (digits,
/// underscores) stay inside their word.
enum JSONSnakeCase {
    static func convert(_ key: String) -> String {
        if key.isEmpty { return key }
        if let converted = key.utf8.withContiguousStorageIfAvailable(convertASCII), let converted {
            return converted
        }
        let scalars = Array(key.unicodeScalars)
        var words: [Range<Int>] = []
        var wordStart = 0
        var searchStart = 1
        while let upper = Self.firstIndex(in: scalars, from: searchStart, where: Self.isUppercase) {
            words.append(wordStart..<upper)
            guard let lower = Self.firstIndex(in: scalars, from: upper, where: Self.isLowercase) else {
                wordStart = upper
                break
            }
            if lower == upper + 1 {
                // One capital starts the next word: `myProperty`.
                wordStart = upper
            } else {
                // A run of capitals is a word, up to the capital that starts the next: `URLValue`.
                words.append(upper..<(lower - 1))
                wordStart = lower - 1
            }
            searchStart = lower
        }
        words.append(wordStart..<scalars.count)

        var result = ""
        result.reserveCapacity(key.utf8.count + words.count)
        for (index, word) in words.enumerated() {
            if index > 0 { result.append("_") }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars[word])
            result.append(String(text).lowercased())
        }
        return result
    }

    /// The same conversion on the bytes of an ASCII key (nearly every coding key), without the
    /// Unicode property lookups; `nil` when the key is not ASCII.
    private static func convertASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var hasUppercase = false
        for byte in bytes {
            if byte >= 0x80 { return nil }
            if isASCIIUppercase(byte) { hasUppercase = true }
        }
        if !hasUppercase { return String(decoding: bytes, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: bytes.count * 2) { output in
            var written = 0
            var wordCount = 0
            func append(_ word: Range<Int>) {
                if wordCount > 0 {
                    output[written] = UInt8(ascii: "_")
                    written += 1
                }
                wordCount += 1
                for index in word {
                    let byte = bytes[index]
                    output[written] = isASCIIUppercase(byte) ? byte | 0x20 : byte
                    written += 1
                }
            }
            func firstIndex(from start: Int, where predicate: (UInt8) -> Bool) -> Int? {
                var index = start
                while index < bytes.count {
                    if predicate(bytes[index]) { return index }
                    index += 1
                }
                return nil
            }
            var wordStart = 0
            var searchStart = 1
            while let upper = firstIndex(from: searchStart, where: isASCIIUppercase) {
                append(wordStart..<upper)
                guard let lower = firstIndex(from: upper, where: isASCIILowercase) else {
                    wordStart = upper
                    break
                }
                if lower == upper + 1 {
                    wordStart = upper
                } else {
                    append(upper..<(lower - 1))
                    wordStart = lower - 1
                }
                searchStart = lower
            }
            append(wordStart..<bytes.count)
            return written
        }
    }

    private static func isASCIIUppercase(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "A") < 26 }

    private static func isASCIILowercase(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "a") < 26 }

    private static func firstIndex(
        in scalars: [Unicode.Scalar],
        from start: Int,
        where predicate: (Unicode.Scalar) -> Bool
    ) -> Int? {
        var index = start
        while index < scalars.count {
            if predicate(scalars[index]) { return index }
            index += 1
        }
        return nil
    }

    /// Foundation's `CharacterSet.uppercaseLetters`: categories Lu and Lt.
    private static func isUppercase(_ scalar: Unicode.Scalar) -> Bool {
        let category = scalar.properties.generalCategory
        return category == .uppercaseLetter || category == .titlecaseLetter
    }

    /// Foundation's `CharacterSet.lowercaseLetters`: category Ll.
    private static func isLowercase(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .lowercaseLetter
    }
}
