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
    @Suite struct UserTests {
        @Test(arguments: TestMode.allCases)
        func registrationAnswers201InSnakeCaseWithoutThePassword(mode: TestMode) async throws {
            try await TestApp.withClient(mode: mode) { client async throws in
                let email = "\(TestDatabase.unique())@Example.com"
                let response = try await client.json(.post, "/api/v1/users", #"{"email":"\#(email)","password":"long enough","name":" Ada "}"#)
                #expect(response.status == .created)
                #expect(response.bodyString.contains(#""created_at":"#))
                #expect(!response.bodyString.contains("password"))
                let user = try response.decoded(UserJSON.self)
                #expect(user.email == email.lowercased())
                #expect(user.name == "Ada")
            }
        }

        @Test func aTakenEmailIs409WhateverItsCase() async throws {
            try await TestApp.withClient { client async throws in
                let user = try await client.signUp()
                let again = try await client.json(
                    .post, "/api/v1/users", #"{"email":"\#(user.email.uppercased())","password":"long enough","name":"B"}"#)
                #expect(again.status == .conflict)
                #expect(again.bodyString.hasPrefix(#"{"error":{"status":409,"#))
            }
        }

        @Test(arguments: [
            (#"{"email":"not-an-email","password":"long enough","name":"A"}"#, "email"),
            (#"{"email":"a@b","password":"long enough","name":"A"}"#, "email"),
            (#"{"email":"x@example.com","password":"short","name":"A"}"#, "password"),
            (#"{"email":"x@example.com","password":"long enough","name":"   "}"#, "name"),
        ])
        func invalidFieldsAre422NamingTheField(body: String, field: String) async throws {
            try await TestApp.withClient { client async throws in
                let response = try await client.json(.post, "/api/v1/users", body)
                #expect(response.status == .unprocessableContent)
                #expect(response.errorMessage?.contains(field) == true)
            }
        }

        @Test func malformedOrIncompleteJSONIs400() async throws {
            try await TestApp.withClient { client async throws in
                #expect(try await client.json(.post, "/api/v1/users", #"{"email":"#).status == .badRequest)
                let missing = try await client.json(.post, "/api/v1/users", #"{"email":"a@example.com","name":"A"}"#)
                #expect(missing.status == .badRequest)
                #expect(missing.errorMessage == "Missing field password")
            }
        }

        @Test(arguments: TestMode.allCases)
        func meShowsAndUpdatesTheSignedInUser(mode: TestMode) async throws {
            try await TestApp.withClient(mode: mode) { client async throws in
                let user = try await client.signUp(name: "Before")
                let me = try await client.authorized(.get, "/api/v1/me", user)
                #expect(try me.decoded(UserJSON.self).id == user.id)
                let patched = try await client.json(.patch, "/api/v1/me", #"{"name":"After","password":"a new password"}"#, token: user.token)
                #expect(patched.status == .ok)
                #expect(try patched.decoded(UserJSON.self).name == "After")
                // The session cached by the first request shows the new record at once.
                #expect(try await client.authorized(.get, "/api/v1/me", user).decoded(UserJSON.self).name == "After")
                let relogin = try await client.json(.post, "/api/v1/sessions", #"{"email":"\#(user.email)","password":"a new password"}"#)
                #expect(relogin.status == .created)
                let bad = try await client.json(.patch, "/api/v1/me", #"{"email":"nope"}"#, token: user.token)
                #expect(bad.status == .unprocessableContent)
            }
        }

        @Test func changingTheEmailToATakenOneIs409() async throws {
            try await TestApp.withClient { client async throws in
                let first = try await client.signUp()
                let second = try await client.signUp()
                let response = try await client.json(.patch, "/api/v1/me", #"{"email":"\#(first.email)"}"#, token: second.token)
                #expect(response.status == .conflict)
            }
        }

        @Test func aUserIsFoundByIDAndUnknownIDsAre404() async throws {
            try await TestApp.withClient { client async throws in
                let user = try await client.signUp()
                let other = try await client.signUp()
                #expect(try await client.authorized(.get, "/api/v1/users/\(other.id)", user).decoded(UserJSON.self).email == other.email)
                #expect(try await client.authorized(.get, "/api/v1/users/999999999", user).status == .notFound)
                #expect(try await client.authorized(.get, "/api/v1/users/abc", user).status == .badRequest)
            }
        }

        @Test func searchFindsNameAndEmailPrefixesPageByPage() async throws {
            try await TestApp.withClient { client async throws in
                let tag = TestDatabase.unique("zz")
                var made: [TestUser] = []
                for index in 0..<5 { made.append(try await client.signUp(name: "\(tag) Person \(index)")) }
                let viewer = made[0]
                let first = try await client.authorized(.get, "/api/v1/users?q=\(tag.uppercased())&limit=2", viewer)
                #expect(first.status == .ok)
                struct Page: Decodable { var users: [UserJSON]; var nextCursor: String? }
                let page1 = try first.decoded(Page.self)
                #expect(page1.users.map(\.id) == made.prefix(2).map(\.id))
                let cursor = try #require(page1.nextCursor)
                let page2 = try await client.authorized(.get, "/api/v1/users?q=\(tag)&limit=2&cursor=\(cursor)", viewer).decoded(Page.self)
                #expect(page2.users.map(\.id) == made[2..<4].map(\.id))
                let page3 = try await client.authorized(.get, "/api/v1/users?q=\(tag)&limit=2&cursor=\(page2.nextCursor ?? "")", viewer)
                    .decoded(Page.self)
                #expect(page3.users.map(\.id) == [made[4].id])
                #expect(page3.nextCursor == nil)
                let byEmail = try await client.authorized(.get, "/api/v1/users?q=\(String(made[3].email.prefix(10)))", viewer).decoded(Page.self)
                #expect(byEmail.users.map(\.id) == [made[3].id])
                #expect(try await client.authorized(.get, "/api/v1/users?limit=0", viewer).status == .badRequest)
                #expect(try await client.authorized(.get, "/api/v1/users?cursor=x", viewer).status == .badRequest)
            }
        }

        @Test(arguments: ["/api/v1/me", "/api/v1/users", "/api/v1/users/1", "/api/v1/connections", "/api/v1/messages?with=1"])
        func everyPrivateEndpointIs401WithoutAValidToken(path: String) async throws {
            try await TestApp.withClient { client async throws in
                let none = try await client.execute(.get, path)
                #expect(none.status == .unauthorized)
                #expect(none.headers[.wwwAuthenticate] == "Bearer")
                let wrong = try await client.execute(.get, path, headers: [.authorization: "Bearer not-a-token"], body: nil)
                #expect(wrong.status == .unauthorized)
                let basic = try await client.execute(.get, path, headers: [.authorization: "Basic YTpi"], body: nil)
                #expect(basic.status == .unauthorized)
            }
        }
    }
}
