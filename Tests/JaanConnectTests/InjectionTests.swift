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
    /// Hostile text in every parameter: never a 500, never SQL in an answer, and the tables intact.
    @Suite struct InjectionTests {
        static let attacks = [
            "' OR '1'='1", "1; DROP TABLE users; --", "\" OR 1=1 --", "1 UNION SELECT password_hash FROM users",
            "%27%20OR%201%3D1", "\\'; DELETE FROM sessions; --", "𝕏'||pg_sleep(5)--",
        ]

        @Test(arguments: attacks)
        func hostileTextIsOnlyEverData(attack: String) async throws {
            try await TestApp.withClient { client async throws in
                let (alice, bob) = try await client.connectedPair()
                let escaped = attack.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                let query = attack.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                var statuses: [HTTPResponse.Status] = []
                statuses.append(
                    try await client.json(.post, "/api/v1/users", #"{"email":"\#(escaped)","password":"\#(escaped)xxxxxxxx","name":"\#(escaped)"}"#)
                        .status)
                statuses.append(try await client.json(.post, "/api/v1/sessions", #"{"email":"\#(escaped)","password":"\#(escaped)"}"#).status)
                statuses.append(try await client.json(.patch, "/api/v1/me", #"{"name":"\#(escaped)"}"#, token: alice.token).status)
                for path in [
                    "/api/v1/users?q=\(query)", "/api/v1/users?cursor=\(query)", "/api/v1/users?limit=\(query)",
                    "/api/v1/users/\(query)", "/api/v1/connections?status=\(query)", "/api/v1/messages?with=\(query)",
                    "/api/v1/messages?with=\(bob.id)&before=\(query)",
                ] {
                    let response = try await client.authorized(.get, path, alice)
                    statuses.append(response.status)
                    #expect(!response.bodyString.lowercased().contains("syntax"))
                }
                statuses.append(try await client.authorized(.post, "/api/v1/connections/\(query)/accept", alice).status)
                statuses.append(try await client.authorized(.delete, "/api/v1/connections/\(query)", alice).status)
                statuses.append(
                    try await client.json(.post, "/api/v1/messages", #"{"recipient_id":\#(bob.id),"body":"\#(escaped)"}"#, token: alice.token).status)
                statuses.append(
                    try await client.execute(
                        .post, "/api/v1/contacts/import", headers: alice.auth, body: #"[{"email":"\#(escaped)","name":"\#(escaped)"}]"#
                    ).status)
                statuses.append(try await client.execute(.get, "/api/v1/me", headers: [.authorization: "Bearer \(attack)"], body: nil).status)
                #expect(!statuses.contains { $0.code >= 500 }, "\(statuses)")
                // The stored text is the text sent, and everything is still there.
                let page = try await client.authorized(.get, "/api/v1/messages?with=\(bob.id)", alice)
                #expect(page.bodyString.contains("body"))
                #expect(try await client.authorized(.get, "/api/v1/me", alice).status == .ok)
                let tables = try await TestDatabase.shared.client.query("SELECT count(*) FROM users")
                #expect(try tables[0].decode(Int.self, at: 0) >= 2)
            }
        }

        @Test func aPrefixSearchWithPatternCharactersMatchesThemLiterally() async throws {
            try await TestApp.withClient { client async throws in
                let user = try await client.signUp()
                for pattern in ["~%25", "~_", "~%25%25", "~"] {
                    let response = try await client.authorized(.get, "/api/v1/users?q=\(pattern)", user)
                    #expect(response.status == .ok)
                    #expect(response.bodyString.hasPrefix(#"{"users":[]"#), "\(pattern)")
                }
            }
        }
    }
}
