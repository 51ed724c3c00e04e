import ArgumentParser
import Foundation
import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import JaanPool
import JaanPostgres
import JaanPostgresServer
import Logging
import NIOCore
import Testing

@testable import JaanConnect

extension ConnectTests {
    @Suite struct ContactTests {
        struct ResultJSON: Decodable {
            struct Existing: Decodable { var userId: Int; var email: String; var name: String }
            var imported: Int
            var existingUsers: [Existing]
        }

        @Test(arguments: TestMode.allCases)
        func aJSONImportCountsContactsAndNamesTheUsersAmongThem(mode: TestMode) async throws {
            try await TestApp.withClient(mode: mode) { client async throws in
                let owner = try await client.signUp()
                let friend = try await client.signUp(name: "Friend")
                let body = """
                    [{"email":"\(friend.email.uppercased())","name":"My friend"},{"email":"nobody-\(TestDatabase.unique())@example.com"},
                     {"email":"\(owner.email)","phone":"+1 555"}]
                    """
                let response = try await client.execute(.post, "/api/v1/contacts/import", headers: owner.auth, body: body)
                #expect(response.status == .created, "\(response.bodyString)")
                let result = try response.decoded(ResultJSON.self)
                #expect(result.imported == 3)
                #expect(result.existingUsers.map(\.userId) == [friend.id])
                #expect(result.existingUsers.first?.name == "Friend")
            }
        }

        @Test func aCSVImportHonoursQuotingAndReimportsReplace() async throws {
            try await TestApp.withClient { client async throws in
                let owner = try await client.signUp()
                var headers = owner.auth
                headers[.contentType] = "text/csv; charset=utf-8"
                let csv = "name,email,phone\r\n\"Doe, \"\"Jane\"\"\",jane-\(owner.id)@example.com,1\r\nJohn,john-\(owner.id)@example.com,\n"
                let first = try await client.execute(.post, "/api/v1/contacts/import", headers: headers, body: csv)
                #expect(first.status == .created, "\(first.bodyString)")
                #expect(try first.decoded(ResultJSON.self).imported == 2)
                let again = try await client.execute(.post, "/api/v1/contacts/import", headers: headers, body: csv)
                #expect(try again.decoded(ResultJSON.self).imported == 2)
                let rows = try await TestDatabase.shared.client.query("SELECT name FROM contacts WHERE owner_id = \(owner.id) ORDER BY email")
                #expect(try rows.map { try $0.decode(String.self, at: 0) } == ["Doe, \"Jane\"", "John"])
            }
        }

        @Test func badImportsAreRefusedAndLoadNothing() async throws {
            try await TestApp.withClient { client async throws in
                let owner = try await client.signUp()
                let bad = try await client.execute(
                    .post, "/api/v1/contacts/import", headers: owner.auth, body: #"[{"email":"ok@example.com"},{"email":"broken"}]"#)
                #expect(bad.status == .unprocessableContent)
                #expect(bad.errorMessage?.contains("contacts[1].email") == true)
                #expect(try await client.execute(.post, "/api/v1/contacts/import", headers: owner.auth, body: "[]").status == .unprocessableContent)
                #expect(try await client.execute(.post, "/api/v1/contacts/import", headers: owner.auth, body: "{").status == .badRequest)
                var text = owner.auth
                text[.contentType] = "text/plain"
                #expect(try await client.execute(.post, "/api/v1/contacts/import", headers: text, body: "a").status == .unsupportedMediaType)
                text[.contentType] = "text/csv"
                #expect(try await client.execute(.post, "/api/v1/contacts/import", headers: text, body: "name\nx").status == .unprocessableContent)
                let rows = try await TestDatabase.shared.client.query("SELECT count(*) FROM contacts WHERE owner_id = \(owner.id)")
                #expect(try rows[0].decode(Int.self, at: 0) == 0)
            }
        }

        @Test func aFiftyMegabyteImportLoadsInOneGo() async throws {
            // A debug build on a loaded machine can take longer than the 60 s default deadline over 50 MB;
            // the deadline has a test of its own.
            var settings = Settings()
            settings.requestTimeout = .seconds(600)
            try await TestApp.withClient(mode: .live, settings: settings) { client async throws in
                let owner = try await client.signUp()
                let friend = try await client.signUp()
                var csv = "email,name,phone\n\(friend.email),Friend,\n"
                var count = 1
                let limit = 50 * 1024 * 1024 - 200
                // About 250 bytes a line: some 200,000 contacts.
                let padding = String(repeating: "x", count: 180)
                while true {
                    let line = "contact-\(count)-\(owner.id)@bulk.example.com,Bulk Contact \(count) \(padding),+44 20 7946 \(count % 10000)\n"
                    guard csv.utf8.count + line.utf8.count <= limit else { break }
                    csv += line
                    count += 1
                }
                #expect(csv.utf8.count > 49 * 1024 * 1024)
                var headers = owner.auth
                headers[.contentType] = "text/csv"
                let response = try await client.execute(.post, "/api/v1/contacts/import", headers: headers, body: ByteBuffer(string: csv))
                #expect(response.status == .created, "\(response.bodyString.prefix(200))")
                let result = try response.decoded(ResultJSON.self)
                #expect(result.imported == count)
                #expect(result.existingUsers.map(\.userId) == [friend.id])
            }
        }
    }
}
