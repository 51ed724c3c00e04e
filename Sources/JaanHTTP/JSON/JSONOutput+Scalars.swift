#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension JSONOutput {
    /// Appends `value` if it is a type the encoders write themselves rather than through its
    /// `encode(to:)`: the common primitives, and Foundation's types whose JSON form `JSONEncoder`
    /// fixes (`Date`, `Data`, `URL`, `UUID`, `Decimal`).
    /// - Returns: Whether `value` was written.
    /// - Throws: `EncodingError.invalidValue` for a non-finite floating-point number.
    @inline(__always)
    mutating func appendKnown<T: Encodable>(
        _ value: T,
        options: JSONEncodingOptions,
        codingPath: @autoclosure () -> [any CodingKey]
    ) throws -> Bool {
        if T.self == String.self {
            self.appendQuoted(value as! String)
        } else if T.self == Int.self {
            self.appendInteger(value as! Int)
        } else if T.self == Double.self {
            try self.appendChecked(value as! Double, codingPath: codingPath())
        } else if T.self == Bool.self {
            self.appendBool(value as! Bool)
        } else if T.self == Date.self {
            try self.appendDate(value as! Date, strategy: options.dateStrategy, codingPath: codingPath())
        } else if T.self == UUID.self {
            self.appendQuotedRaw((value as! UUID).uuidString)
        } else if T.self == URL.self {
            self.appendQuoted((value as! URL).absoluteString)
        } else if T.self == Data.self {
            self.appendQuotedRaw((value as! Data).base64EncodedString())
        } else if T.self == Decimal.self {
            try self.appendChecked(value as! Decimal, codingPath: codingPath())
        } else {
            return false
        }
        return true
    }

    mutating func appendBool(_ value: Bool) {
        if value {
            self.appendRaw("true")
        } else {
            self.appendRaw("false")
        }
    }

    mutating func appendNull() {
        self.appendRaw("null")
    }

    /// Appends a string known to need no escaping, between quotes.
    mutating func appendQuotedRaw(_ string: String) {
        self.append(JSONByte.quote)
        self.appendRaw(string)
        self.append(JSONByte.quote)
    }

    /// Appends a `Double`, refusing NaN and infinity as Foundation's `JSONEncoder` does by default.
    mutating func appendChecked(_ value: Double, codingPath: @autoclosure () -> [any CodingKey]) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                .init(codingPath: codingPath(), debugDescription: "Unable to encode Double.\(value) directly in JSON.")
            )
        }
        self.appendDouble(value)
    }

    /// Appends a `Float`, refusing NaN and infinity as Foundation's `JSONEncoder` does by default.
    mutating func appendChecked(_ value: Float, codingPath: @autoclosure () -> [any CodingKey]) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                .init(codingPath: codingPath(), debugDescription: "Unable to encode Float.\(value) directly in JSON.")
            )
        }
        self.appendFloat(value)
    }

    /// Appends a `Decimal` as a number, refusing NaN, which JSON cannot express.
    mutating func appendChecked(_ value: Decimal, codingPath: @autoclosure () -> [any CodingKey]) throws {
        guard !value.isNaN else {
            throw EncodingError.invalidValue(
                value,
                .init(codingPath: codingPath(), debugDescription: "Unable to encode Decimal.nan directly in JSON.")
            )
        }
        self.appendRaw(value.description)
    }

    private mutating func appendDate(
        _ date: Date,
        strategy: JSONResponseEncoder.DateEncodingStrategy.Base,
        codingPath: @autoclosure () -> [any CodingKey]
    ) throws {
        switch strategy {
        case .iso8601:
            self.appendISO8601(date.timeIntervalSince1970, fractional: false)
        case .iso8601WithFractionalSeconds:
            self.appendISO8601(date.timeIntervalSince1970, fractional: true)
        case .secondsSince1970:
            try self.appendChecked(date.timeIntervalSince1970, codingPath: codingPath())
        case .millisecondsSince1970:
            try self.appendChecked(date.timeIntervalSince1970 * 1000, codingPath: codingPath())
        }
    }
}
