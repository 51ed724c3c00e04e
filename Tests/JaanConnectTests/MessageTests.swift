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
    @Suite struct MessageTests {
        struct MessageJSON: Decodable { var id: Int; var senderId: Int; var recipientId: Int; var body: String }
        struct PageJSON: Decodable { var messages: [MessageJSON]; var nextBefore: Int? }

        @Test func onlyAcceptedConnectionsMayMessage() async throws {
            try await TestApp.withClient { client async throws in
                let alice = try await client.signUp()
                let bob = try await client.signUp()
                let stranger = try await client.json(.post, "/api/v1/messages", #"{"recipient_id":\#(bob.id),"body":"hi"}"#, token: alice.token)
                #expect(stranger.status == .forbidden)
                let id = try await client.json(.post, "/api/v1/connections", #"{"user_id":\#(bob.id)}"#, token: alice.token)
                    .decoded(ConnectionJSON.self).id
                let pending = try await client.json(.post, "/api/v1/messages", #"{"recipient_id":\#(bob.id),"body":"hi"}"#, token: alice.token)
                #expect(pending.status == .forbidden)
                _ = try await client.authorized(.post, "/api/v1/connections/\(id)/accept", bob)
                let sent = try await client.json(.post, "/api/v1/messages", #"{"recipient_id":\#(bob.id),"body":"hi"}"#, token: alice.token)
                #expect(sent.status == .created)
                #expect(try sent.decoded(MessageJSON.self).senderId == alice.id)
            }
        }

        @Test(arguments: TestMode.allCases)
        func messagesAreReadNewestFirstPageByPage(mode: TestMode) async throws {
            try await TestApp.withClient(mode: mode) { client async throws in
                let (alice, bob) = try await client.connectedPair()
                for index in 0..<5 {
                    let (from, to) = index.isMultiple(of: 2) ? (alice, bob) : (bob, alice)
                    let sent = try await client.json(.post, "/api/v1/messages", #"{"recipient_id":\#(to.id),"body":"m\#(index)"}"#, token: from.token)
                    #expect(sent.status == .created)
                }
                let first = try await client.authorized(.get, "/api/v1/messages?with=\(bob.id)&limit=3", alice).decoded(PageJSON.self)
                #expect(first.messages.map(\.body) == ["m4", "m3", "m2"])
                let before = try #require(first.nextBefore)
                let second = try await client.authorized(.get, "/api/v1/messages?with=\(alice.id)&limit=3&before=\(before)", bob).decoded(
                    PageJSON.self)
                #expect(second.messages.map(\.body) == ["m1", "m0"])
                #expect(second.nextBefore == nil)
            }
        }

        @Test func noOneReadsAnothersMessages() async throws {
            try await TestApp.withClient { client async throws in
                let (alice, bob) = try await client.connectedPair()
                let eve = try await client.signUp()
                _ = try await client.json(.post, "/api/v1/messages", #"{"recipient_id":\#(bob.id),"body":"secret"}"#, token: alice.token)
                let withAlice = try await client.authorized(.get, "/api/v1/messages?with=\(alice.id)", eve).decoded(PageJSON.self)
                let withBob = try await client.authorized(.get, "/api/v1/messages?with=\(bob.id)", eve).decoded(PageJSON.self)
                #expect(withAlice.messages.isEmpty && withBob.messages.isEmpty)
                let forged = try await client.json(
                    .post, "/api/v1/messages", #"{"recipient_id":\#(bob.id),"body":"x","sender_id":\#(alice.id)}"#, token: eve.token)
                #expect(forged.status == .forbidden)
            }
        }

        @Test func badMessagesAndQueriesAreRefused() async throws {
            try await TestApp.withClient { client async throws in
                let (alice, bob) = try await client.connectedPair()
                #expect(
                    try await client.json(.post, "/api/v1/messages", #"{"recipient_id":\#(bob.id),"body":"   "}"#, token: alice.token).status
                        == .unprocessableContent)
                #expect(try await client.authorized(.get, "/api/v1/messages", alice).status == .badRequest)
                #expect(try await client.authorized(.get, "/api/v1/messages?with=\(bob.id)&before=-1", alice).status == .badRequest)
                #expect(try await client.authorized(.get, "/api/v1/messages?with=\(bob.id)&limit=1000", alice).status == .badRequest)
            }
        }
    }
}
