import Foundation

/// Parses sizes such as `1G`, `512MB`, `50mb`, `1024` (bytes); units are powers of 1024.
enum ByteSize {
    static func parse(_ text: String, name: String) throws(SettingsError) -> Int {
        let lowered = text.lowercased()
        let digits = lowered.prefix { $0.isNumber }
        var unit = lowered.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        if unit.hasSuffix("ib") { unit.removeLast(2) } else if unit.hasSuffix("b") { unit.removeLast() }
        let multipliers: [String: Int] = ["": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30]
        guard let number = Int(digits), number > 0, let multiplier = multipliers[unit] else {
            throw .invalid(name: name, reason: "expected a size such as 1G, 512M or 50MB")
        }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { throw .invalid(name: name, reason: "too large") }
        return bytes
    }
}
