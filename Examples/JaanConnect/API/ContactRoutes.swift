import Foundation
import HTTPTypes
import JaanHTTP
import JaanPool
import JaanPostgres
import Logging
import NIOCore
import NIOPosix

/// Bulk import of an address book with COPY, in one transaction.
struct ContactRoutes: Sendable {
    let client: PostgresClient
    let bodyLimit: Int

    struct ExistingUser: Codable, Sendable {
        var userId: Int
        var email: String
        var name: String
    }

    struct ImportResult: Encodable, Sendable {
        var imported: Int
        var existingUsers: [ExistingUser]
    }

    func add(to group: RouterGroup<AppContext>) {
        group.post("/contacts/import") { request, context in try await importContacts(request, context) }
    }

    private func importContacts(_ request: Request, _ context: AppContext) async throws -> JSONResponse<ImportResult> {
        let me = try context.requireUser().id
        let body = try await request.body.collect(upTo: bodyLimit)
        let contentType = request.headers[.contentType]
        // Parsing up to 50 MB takes seconds of CPU: on NIO's thread pool, so that the event loop's other
        // connections are not held up meanwhile.
        let list = try await NIOThreadPool.singleton.runIfActive { try ContactList(body: body, contentType: contentType) }
        let result = try await client.withTransaction { connection in
            try await connection.query("CREATE TEMPORARY TABLE contact_import (email text, name text, phone text) ON COMMIT DROP")
            try await connection.copyFrom(table: "contact_import", columns: ["email", "name", "phone"]) { writer in
                for contact in list.contacts {
                    try await writer.write(contact.email, contact.name ?? "", contact.phone)
                }
            }
            let imported = try await connection.query(
                """
                INSERT INTO contacts (owner_id, email, name, phone)
                SELECT DISTINCT ON (email) \(me), email, name, phone FROM contact_import ORDER BY email
                ON CONFLICT (owner_id, email) DO UPDATE SET name = excluded.name, phone = excluded.phone, imported_at = now()
                """
            )
            let existing = try await connection.query(
                """
                SELECT u.id AS user_id, u.email, u.name FROM users u
                WHERE u.email IN (SELECT email FROM contact_import) AND u.id <> \(me) ORDER BY u.id
                """
            )
            return ImportResult(
                imported: imported.affectedRows,
                existingUsers: try existing.decode(ExistingUser.self, keyDecodingStrategy: .convertFromSnakeCase)
            )
        }
        return JSONResponse(status: .created, result)
    }
}
