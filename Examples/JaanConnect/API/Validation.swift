import Foundation
import HTTPTypes
import JaanHTTP
import JaanPool
import JaanPostgres
import Logging
import NIOCore

/// Field checks whose failures are 422 answers naming the field.
enum Validation {
    static func invalid(_ field: String, _ reason: String) -> HTTPError {
        HTTPError(.unprocessableContent, message: "Invalid \(field): \(reason)")
    }

    /// A normalized (trimmed, lower-cased) email address.
    static func email(_ value: String, field: String = "email") throws -> String {
        let email = value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !email.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "," || $0 == "\u{0}" })
        else { throw invalid(field, "not an email address") }
        return email
    }

    /// A display name: trimmed, 1 to 100 characters.
    static func name(_ value: String) throws -> String {
        let name = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100, !name.contains("\u{0}") else { throw invalid("name", "must be 1 to 100 characters") }
        return name
    }

    /// A password: 8 to 1,024 characters.
    static func password(_ value: String) throws -> String {
        guard value.count >= 8, value.utf8.count <= 1024, !value.contains("\u{0}") else {
            throw invalid("password", "must be 8 to 1024 characters")
        }
        return value
    }

    /// A page size from the query: 1 to 100, `fallback` when absent.
    static func limit(_ value: String?, fallback: Int = 20) throws -> Int {
        guard let value else { return fallback }
        guard let limit = Int(value), (1...100).contains(limit) else { throw HTTPError(.badRequest, message: "Invalid limit: expected 1 to 100") }
        return limit
    }

    /// A positive id from the query, or `nil` when absent.
    static func id(_ value: String?, name: String) throws -> Int? {
        guard let value else { return nil }
        guard let id = Int(value), id > 0 else { throw HTTPError(.badRequest, message: "Invalid \(name)") }
        return id
    }
}
