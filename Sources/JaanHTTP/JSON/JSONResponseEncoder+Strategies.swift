extension JSONResponseEncoder {
    /// How coding keys become JSON object keys.
    public struct KeyEncodingStrategy: Sendable, Hashable {
        enum Base: Sendable, Hashable {
            case useDefaultKeys
            case convertToSnakeCase
        }

        let base: Base

        /// Each key's `stringValue` as it is.
        public static let useDefaultKeys = KeyEncodingStrategy(base: .useDefaultKeys)
        /// Camel-case keys become snake-case, exactly as Foundation's `JSONEncoder` converts them:
        /// `myURLValue` becomes `my_url_value`; leading and trailing underscores are kept.
        public static let convertToSnakeCase = KeyEncodingStrategy(base: .convertToSnakeCase)
    }

    /// How `Date` values are written.
    public struct DateEncodingStrategy: Sendable, Hashable {
        enum Base: Sendable, Hashable {
            case iso8601
            case iso8601WithFractionalSeconds
            case secondsSince1970
            case millisecondsSince1970
        }

        let base: Base

        /// An ISO 8601 string in UTC to the second, `2026-11-29T03:00:00Z`, like Foundation's `.iso8601`.
        public static let iso8601 = DateEncodingStrategy(base: .iso8601)
        /// An ISO 8601 string in UTC with milliseconds, `2026-11-29T03:00:00.250Z`.
        public static let iso8601WithFractionalSeconds = DateEncodingStrategy(base: .iso8601WithFractionalSeconds)
        /// The number of seconds since 1970-01-01 00:00:00 UTC, as a floating-point number.
        public static let secondsSince1970 = DateEncodingStrategy(base: .secondsSince1970)
        /// The number of milliseconds since 1970-01-01 00:00:00 UTC, as a floating-point number.
        public static let millisecondsSince1970 = DateEncodingStrategy(base: .millisecondsSince1970)
    }
}

/// The configuration reduced to what the encoders read on every value.
struct JSONEncodingOptions {
    let snakeCaseKeys: Bool
    let dateStrategy: JSONResponseEncoder.DateEncodingStrategy.Base
    let sortsKeys: Bool
    let userInfo: [CodingUserInfoKey: any Sendable]

    init(_ configuration: JSONResponseEncoder.Configuration) {
        self.snakeCaseKeys = configuration.keyEncodingStrategy.base == .convertToSnakeCase
        self.dateStrategy = configuration.dateEncodingStrategy.base
        self.sortsKeys = configuration.sortsKeys
        self.userInfo = configuration.userInfo
    }
}
