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
    @Suite struct ConnectionTests {
        struct ListJSON: Decodable {
            struct Item: Decodable { var id: Int; var status: String; var userId: Int; var userName: String }
            var connections: [Item]
        }

        @Test(arguments: TestMode.allCases)
        func aRequestIsPendingUntilTheAddresseeAccepts(mode: TestMode) async throws {
            try await TestApp.withClient(mode: mode) { client async throws in
                let alice = try await client.signUp(name: "Alice")
                let bob = try await client.signUp(name: "Bob")
                let requested = try await client.json(.post, "/api/v1/connections", #"{"user_id":\#(bob.id)}"#, token: alice.token)
                #expect(requested.status == .created)
                let connection = try requested.decoded(ConnectionJSON.self)
                #expect(connection.status == "pending")
                #expect(connection.requesterId == alice.id && connection.addresseeId == bob.id)

                let bobsPending = try await client.authorized(.get, "/api/v1/connections?status=pending", bob).decoded(ListJSON.self)
                #expect(bobsPending.connections.map(\.id) == [connection.id])
                #expect(bobsPending.connections.first?.userName == "Alice")
                #expect(try await client.authorized(.get, "/api/v1/connections", bob).decoded(ListJSON.self).connections.isEmpty)

                let accepted = try await client.authorized(.post, "/api/v1/connections/\(connection.id)/accept", bob)
                #expect(accepted.status == .ok)
                #expect(try accepted.decoded(ConnectionJSON.self).status == "accepted")
                let alicesAccepted = try await client.authorized(.get, "/api/v1/connections?status=accepted", alice).decoded(ListJSON.self)
                #expect(alicesAccepted.connections.map(\.userId) == [bob.id])
                #expect(try await client.authorized(.post, "/api/v1/connections/\(connection.id)/accept", bob).status == .conflict)
            }
        }

        @Test func onlyTheAddresseeMayAccept() async throws {
            try await TestApp.withClient { client async throws in
                let alice = try await client.signUp()
                let bob = try await client.signUp()
                let mallory = try await client.signUp()
                let id = try await client.json(.post, "/api/v1/connections", #"{"user_id":\#(bob.id)}"#, token: alice.token)
                    .decoded(ConnectionJSON.self).id
                #expect(try await client.authorized(.post, "/api/v1/connections/\(id)/accept", alice).status == .forbidden)
                #expect(try await client.authorized(.post, "/api/v1/connections/\(id)/accept", mallory).status == .notFound)
                #expect(try await client.authorized(.delete, "/api/v1/connections/\(id)", mallory).status == .notFound)
                #expect(try await client.authorized(.get, "/api/v1/connections?status=pending", mallory).decoded(ListJSON.self).connections.isEmpty)
            }
        }

        @Test func duplicatesInEitherDirectionAre409() async throws {
            try await TestApp.withClient { client async throws in
                let alice = try await client.signUp()
                let bob = try await client.signUp()
                #expect(try await client.json(.post, "/api/v1/connections", #"{"user_id":\#(bob.id)}"#, token: alice.token).status == .created)
                #expect(try await client.json(.post, "/api/v1/connections", #"{"user_id":\#(bob.id)}"#, token: alice.token).status == .conflict)
                #expect(try await client.json(.post, "/api/v1/connections", #"{"user_id":\#(alice.id)}"#, token: bob.token).status == .conflict)
            }
        }

        @Test func selfAndUnknownUsersAreRefused() async throws {
            try await TestApp.withClient { client async throws in
                let alice = try await client.signUp()
                #expect(
                    try await client.json(.post, "/api/v1/connections", #"{"user_id":\#(alice.id)}"#, token: alice.token).status
                        == .unprocessableContent)
                #expect(try await client.json(.post, "/api/v1/connections", #"{"user_id":999999999}"#, token: alice.token).status == .notFound)
                #expect(try await client.json(.post, "/api/v1/connections", #"{"user_id":"x"}"#, token: alice.token).status == .badRequest)
                #expect(try await client.authorized(.get, "/api/v1/connections?status=blocked", alice).status == .badRequest)
            }
        }

        @Test func eitherPartyMayRemoveAConnection() async throws {
            try await TestApp.withClient { client async throws in
                let (alice, bob) = try await client.connectedPair()
                let id = try await client.authorized(.get, "/api/v1/connections", alice).decoded(ListJSON.self).connections[0].id
                #expect(try await client.authorized(.delete, "/api/v1/connections/\(id)", bob).status == .noContent)
                #expect(try await client.authorized(.delete, "/api/v1/connections/\(id)", alice).status == .notFound)
                #expect(try await client.authorized(.get, "/api/v1/connections", alice).decoded(ListJSON.self).connections.isEmpty)
            }
        }
    }
}
