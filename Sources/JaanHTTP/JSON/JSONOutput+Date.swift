extension JSONOutput {
    /// Appends a quoted ISO 8601 UTC timestamp, `2026-11-29T03:00:00Z`, or with milliseconds,
    /// `2026-11-29T03:00:00.250Z`, for `interval` seconds since 1970 (rounded down to the unit shown).
    mutating func appendISO8601(_ interval: Double, fractional: Bool) {
        // Clamped to what Int64 milliseconds hold (some 290 million years either side of 1970).
        let milliseconds = Int64(min(max((interval * 1000).rounded(.down), -9.2e18), 9.2e18))
        let seconds = milliseconds.floorDivided(by: 1000)
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = Self.civilDate(daysSince1970: days)

        self.append(JSONByte.quote)
        if year < 0 {
            self.append(JSONByte.minus)
        }
        self.appendPadded(Int64(abs(year)), width: 4)
        self.append(UInt8(ascii: "-"))
        self.appendPadded(month, width: 2)
        self.append(UInt8(ascii: "-"))
        self.appendPadded(day, width: 2)
        self.append(UInt8(ascii: "T"))
        self.appendPadded(secondOfDay / 3600, width: 2)
        self.append(JSONByte.colon)
        self.appendPadded(secondOfDay / 60 % 60, width: 2)
        self.append(JSONByte.colon)
        self.appendPadded(secondOfDay % 60, width: 2)
        if fractional {
            self.append(UInt8(ascii: "."))
            self.appendPadded(milliseconds - seconds * 1000, width: 3)
        }
        self.append(UInt8(ascii: "Z"), JSONByte.quote)
    }

    private mutating func appendPadded(_ value: Int64, width: Int) {
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        for _ in digits..<max(width, digits) {
            self.append(JSONByte.zero)
        }
        self.appendInteger(value)
    }

    /// The proleptic Gregorian year, month and day of a day count since 1970-01-01
    /// (the civil-from-days algorithm over 400-year eras).
    static func civilDate(daysSince1970: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = daysSince1970 + 719_468
        let era = shifted.floorDivided(by: 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

extension Int64 {
    /// Division rounding toward negative infinity.
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
