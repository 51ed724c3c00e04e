import Foundation
import JaanPool
import JaanPostgres
import Logging

/// Applies the migrations that a database lacks, in order, each in its own transaction, under a
/// PostgreSQL advisory lock so that concurrent starts cannot race.
struct Migrator: Sendable {
    /// The advisory lock key: "jaanmig" in ASCII.
    static let lockKey = 0x6A61_616E_6D69_67

    var migrations: [Migration]
    var logger: Logger

    /// The versions recorded in `schema_migrations`, creating the table if needed.
    static func appliedVersions(on connection: PostgresConnection) async throws -> Set<Int> {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
            """
        )
        let rows = try await connection.query("SELECT version FROM schema_migrations")
        return Set(try rows.map { try $0.decode(Int.self, at: 0) })
    }

    /// The migrations not applied yet.
    func pending(on connection: PostgresConnection) async throws -> [Migration] {
        let applied = try await Self.appliedVersions(on: connection)
        let known = Set(migrations.map(\.version))
        if let unknown = applied.subtracting(known).max() { throw MigrationError.unknownVersion(unknown) }
        return migrations.filter { !applied.contains($0.version) }
    }

    /// Applies what is pending and returns the versions applied.
    @discardableResult
    func migrate(on connection: PostgresConnection) async throws -> [Int] {
        try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))")
        do {
            let applied = try await apply(on: connection)
            try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))")
            return applied
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))")
            throw error
        }
    }

    private func apply(on connection: PostgresConnection) async throws -> [Int] {
        var applied: [Int] = []
        for migration in try await pending(on: connection) {
            try await connection.withTransaction { transaction in
                for statement in migration.statements {
                    try await transaction.query(PostgresQuery(unsafeSQL: statement))
                }
                try await transaction.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))"
                )
            }
            logger.info("Applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            applied.append(migration.version)
        }
        return applied
    }
}
