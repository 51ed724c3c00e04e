import Foundation

/// Reads and writes PostgreSQL's text form of timestamps (ISO style, as the server sends in the UTC session).
enum Timestamp {
    /// Formats a date as `YYYY-MM-DD HH:MM:SS.ffffff+00`.
    static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) \(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):"
            + "\(pad(secondOfDay % 60, 2)).\(pad(fraction, 6))+00"
    }

    /// Parses `YYYY-MM-DD[ HH:MM:SS[.ffffff]][+HH[:MM[:SS]]]`, or `infinity`/`-infinity`.
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> Date? {
        if text.elementsEqual("infinity".utf8) { return .distantFuture }
        if text.elementsEqual("-infinity".utf8) { return .distantPast }
        var scanner = Scanner(text: text)
        guard let year = scanner.number(), scanner.skip("-"), let month = scanner.number(maxDigits: 2), scanner.skip("-"),
            let day = scanner.number(maxDigits: 2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        var secondOfDay: Int64 = 0
        var micros: Int64 = 0
        var offset: Int64 = 0
        if scanner.skip(" ") || scanner.skip("T") {
            guard let hour = scanner.number(maxDigits: 2), scanner.skip(":"), let minute = scanner.number(maxDigits: 2),
                scanner.skip(":"), let second = scanner.number(maxDigits: 2)
            else { return nil }
            secondOfDay = hour * 3600 + minute * 60 + second
            if scanner.skip(".") {
                let start = scanner.index
                guard let fraction = scanner.number(maxDigits: 6) else { return nil }
                var scaled = fraction
                for _ in 0..<(6 - (scanner.index - start)) { scaled *= 10 }
                micros = scaled
            }
            let sign: Int64? = scanner.skip("+") ? 1 : scanner.skip("-") ? -1 : nil
            if let sign {
                guard let hours = scanner.number(maxDigits: 2) else { return nil }
                var total = hours * 3600
                if scanner.skip(":"), let minutes = scanner.number(maxDigits: 2) { total += minutes * 60 }
                if scanner.skip(":"), let seconds = scanner.number(maxDigits: 2) { total += seconds }
                offset = sign * total
            }
        }
        guard scanner.isAtEnd else { return nil }
        let days = self.days(fromCivil: year, month, day)
        let seconds = days * 86_400 + secondOfDay - offset
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }

    /// Reads a timestamp's text from the front. A struct with mutating methods rather than nested functions around a
    /// captured index: a captured variable lives in a box whose every access is checked for exclusivity at run time,
    /// which cost more than the parsing on pages of rows.
    private struct Scanner {
        let text: UnsafeBufferPointer<UInt8>
        var index = 0

        var isAtEnd: Bool { self.index == self.text.count }

        /// Reads up to `maxDigits` decimal digits; `nil` when there is none.
        mutating func number(maxDigits: Int = 9) -> Int64? {
            var value: Int64 = 0
            var digits = 0
            while self.index < self.text.count, digits < maxDigits, case let digit = self.text[self.index] &- UInt8(ascii: "0"), digit < 10 {
                value = value * 10 + Int64(digit)
                self.index += 1
                digits += 1
            }
            return digits == 0 ? nil : value
        }

        /// Skips `character` if it comes next.
        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard self.index < self.text.count, self.text[self.index] == UInt8(ascii: character) else { return false }
            self.index += 1
            return true
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
