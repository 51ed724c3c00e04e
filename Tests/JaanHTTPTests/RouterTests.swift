import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import NIOCore
import Testing

@Suite struct RouterTests {
    static func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/plain") { _, _ in "plain" }
        router.get("/users/:id") { _, context in "user \(try context.parameters.require("id", as: Int.self))" }
        router.get("/users/me") { _, _ in "me" }
        router.post("/users/:id") { _, context in "posted \(try context.parameters.require("id"))" }
        router.get("/files/**") { _, context in "tail \(context.parameters.tail ?? "")" }
        router.get("/any/*/end") { _, _ in "wildcard" }
        router.get("/route") { _, context in context.route ?? "none" }
        router.get("/users/:id/items/:item") { _, context in
            "\(try context.parameters.require("id"))/\(try context.parameters.require("item"))"
        }
        return router
    }

    @Test(arguments: TestMode.allCases)
    func staticSegmentWinsOverParameter(mode: TestMode) async throws {
        try await withTestClient(router: Self.makeRouter(), mode: mode) { client async throws in
            #expect(try await client.execute(.get, "/users/me").bodyString == "me")
            #expect(try await client.execute(.get, "/users/42").bodyString == "user 42")
        }
    }

    @Test(arguments: TestMode.allCases)
    func parametersArePercentDecodedAndTyped(mode: TestMode) async throws {
        try await withTestClient(router: Self.makeRouter(), mode: mode) { client async throws in
            #expect(try await client.execute(.get, "/users/7/items/a%20b").bodyString == "7/a b")
            let invalid = try await client.execute(.get, "/users/abc")
            #expect(invalid.status == .badRequest)
            #expect(invalid.bodyString == #"{"error":{"status":400,"message":"Invalid path parameter id"}}"#)
        }
    }

    @Test(arguments: TestMode.allCases)
    func wildcardAndTailMatch(mode: TestMode) async throws {
        try await withTestClient(router: Self.makeRouter(), mode: mode) { client async throws in
            #expect(try await client.execute(.get, "/files/a/b/c.txt").bodyString == "tail a/b/c.txt")
            #expect(try await client.execute(.get, "/any/thing/end").bodyString == "wildcard")
            #expect(try await client.execute(.get, "/any/thing/else").status == .notFound)
        }
    }

    @Test(arguments: TestMode.allCases)
    func unknownPathIs404AndWrongMethodIs405WithAllow(mode: TestMode) async throws {
        try await withTestClient(router: Self.makeRouter(), mode: mode) { client async throws in
            let missing = try await client.execute(.get, "/nope")
            #expect(missing.status == .notFound)
            #expect(missing.bodyString == #"{"error":{"status":404,"message":"Not Found"}}"#)
            let wrongMethod = try await client.execute(.delete, "/users/1")
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "GET, HEAD, OPTIONS, POST")
            let options = try await client.execute(.options, "/users/1")
            #expect(options.status == .noContent)
            #expect(options.headers[.allow] == "GET, HEAD, OPTIONS, POST")
        }
    }

    @Test(arguments: TestMode.allCases)
    func headIsAnsweredFromGetWithoutBody(mode: TestMode) async throws {
        try await withTestClient(router: Self.makeRouter(), mode: mode) { client async throws in
            let response = try await client.execute(.head, "/plain")
            #expect(response.status == .ok)
            #expect(response.body.readableBytes == 0)
            #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
        }
    }

    @Test(arguments: TestMode.allCases)
    func matchedRoutePatternIsInContext(mode: TestMode) async throws {
        try await withTestClient(router: Self.makeRouter(), mode: mode) { client async throws in
            #expect(try await client.execute(.get, "/route?x=1").bodyString == "/route")
        }
    }

    @Test func trailingAndDoubleSlashesMatchTheSameRoute() async throws {
        let client = InProcessTestClient(router: Self.makeRouter())
        #expect(try await client.execute(.get, "/plain/").bodyString == "plain")
        #expect(try await client.execute(.get, "//plain").bodyString == "plain")
    }
}
