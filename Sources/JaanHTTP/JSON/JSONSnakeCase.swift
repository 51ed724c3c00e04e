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
