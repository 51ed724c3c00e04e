import Foundation

/// Parses durations such as `60s`, `500ms`, `2m` or `60` (seconds).
enum TimeSpan {
    static func parse(_ text: String, name: String) throws(SettingsError) -> Duration {
        let lowered = text.lowercased()
        let digits = lowered.prefix { $0.isNumber }
        let unit = lowered.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        guard let number = Int(digits), number > 0, number < 1_000_000 else {
            throw .invalid(name: name, reason: "expected a duration such as 60s, 500ms or 2m")
        }
        switch unit {
        case "ms": return .milliseconds(number)
        case "", "s": return .seconds(number)
        case "m", "min": return .seconds(number * 60)
        default: throw .invalid(name: name, reason: "expected a duration such as 60s, 500ms or 2m")
        }
    }
}
