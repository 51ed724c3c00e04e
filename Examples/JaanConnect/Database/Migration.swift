import Foundation
import JaanPool
import JaanPostgres
import Logging

/// One schema change: a plain SQL file `NNNN_name.sql` of the `Migrations` folder.
struct Migration: Sendable, Equatable {
    /// The number the file name starts with; migrations apply in this order.
    var version: Int
    /// The rest of the file name, without the extension.
    var name: String
    /// The file's statements, each ending with `;` at the end of a line.
    var statements: [String]

    /// The migrations shipped with the program, in order.
    static func bundled() throws -> [Migration] {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw MigrationError.missingFiles
        }
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        return try files.filter { $0.pathExtension == "sql" }.map { url in
            try Migration(fileName: url.deletingPathExtension().lastPathComponent, sql: String(contentsOf: url, encoding: .utf8))
        }.sorted { $0.version < $1.version }
    }

    /// Parses a migration file.
    init(fileName: String, sql: String) throws {
        let parts = fileName.split(separator: "_", maxSplits: 1)
        guard let first = parts.first, let version = Int(first) else { throw MigrationError.badFileName(fileName) }
        self.version = version
        self.name = parts.count > 1 ? String(parts[1]) : ""
        self.statements = Self.split(sql)
    }

    /// Splits SQL into statements at each `;` that ends a line; `--` comment lines are dropped.
    static func split(_ sql: String) -> [String] {
        var statements: [String] = []
        var current: [Substring] = []
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("--") || (trimmed.isEmpty && current.isEmpty) { continue }
            current.append(line)
            if trimmed.hasSuffix(";") {
                statements.append(current.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines))
                current = []
            }
        }
        let rest = current.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { statements.append(rest) }
        return statements
    }
}

/// Why migrations could not be read or applied.
struct MigrationError: Error, CustomStringConvertible {
    let description: String

    static let missingFiles = MigrationError(description: "the Migrations folder is missing beside the program")
    static func badFileName(_ name: String) -> MigrationError {
        MigrationError(description: "migration file \(name) must start with a number, as 0001_name.sql")
    }
    static func unknownVersion(_ version: Int) -> MigrationError {
        MigrationError(description: "the database has migration \(version), which this program does not know; it is older than the schema")
    }
}
