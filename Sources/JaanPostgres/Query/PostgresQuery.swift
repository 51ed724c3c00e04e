/// A SQL statement and the values bound to its parameters.
///
/// Write queries with string interpolation: every interpolated value becomes a bound
/// parameter (`$1`, `$2`, ...) and never part of the SQL text, so a value cannot change
/// the statement:
///
/// ```swift
/// let rows = try await connection.query("SELECT id, name FROM users WHERE email = \(email) AND age > \(minimumAge)")
/// ```
///
/// Names of tables or columns chosen at run time go in with `\(identifier:)`, which quotes them
/// as identifiers. Building SQL from a run-time string needs the explicit ``init(unsafeSQL:binds:)``.
public struct PostgresQuery: Sendable, Hashable, ExpressibleByStringInterpolation {
    /// The SQL text, with `$n` placeholders for the bound values.
    public var sql: String
    /// The bound values.
    public var binds: PostgresBindings

    /// Creates a query from SQL text and values for its placeholders.
    ///
    /// - Important: `unsafeSQL` must not contain text from users; put their values in `binds`.
    /// - Parameters:
    ///   - unsafeSQL: The statement, with `$1`, `$2`, ... for the values.
    ///   - binds: The values, in placeholder order. Defaults to none.
    public init(unsafeSQL: String, binds: PostgresBindings = PostgresBindings()) {
        self.sql = unsafeSQL
        self.binds = binds
    }

    /// Creates a query without parameters from a string literal.
    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    /// Creates a query from an interpolated string, binding every interpolated value.
    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, binds: stringInterpolation.binds)
    }

    /// Builds a query's SQL and binds from string interpolation.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var sql: String
        var binds: PostgresBindings

        /// Reserves room for the literal text.
        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds = PostgresBindings()
        }

        /// Appends literal SQL text.
        public mutating func appendLiteral(_ literal: String) {
            sql.append(literal)
        }

        /// Binds a value as the next parameter and appends its placeholder.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            binds.append(value)
            sql.append("$\(binds.count)")
        }

        /// Binds an optional value (NULL for `nil`) as the next parameter and appends its placeholder.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            binds.append(value)
            sql.append("$\(binds.count)")
        }

        /// Appends a name (table, column, schema) quoted as an SQL identifier.
        ///
        /// Double quotes inside the name are doubled, so the name cannot end the identifier.
        /// A NUL character makes the query fail when it runs.
        public mutating func appendInterpolation(identifier: String) {
            sql.append(quoteIdentifier(identifier))
            if identifier.utf8.contains(0) {
                binds.invalidReason = "an identifier contains a NUL character"
            }
        }
    }
}

/// Quotes a name as an SQL identifier: `a"b` becomes `"a""b"`.
func quoteIdentifier(_ name: String) -> String {
    // Scalars, not Characters: a quote followed by a combining mark is one Character, yet its
    // quote byte would still end the identifier.
    var quoted = String.UnicodeScalarView()
    quoted.append("\"")
    for scalar in name.unicodeScalars {
        if scalar == "\"" { quoted.append("\"") }
        quoted.append(scalar)
    }
    quoted.append("\"")
    return String(quoted)
}
