import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import NIOCore
import Testing

@Suite struct CORSMiddlewareTests {
    static func router(_ configuration: CORSMiddleware<BasicRequestContext>.Configuration) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: CORSMiddleware(configuration: configuration))
        router.get("/data") { _, _ in "data" }
        router.get("/fail") { _, _ -> String in throw HTTPError(.conflict) }
        return router
    }

    static let listed = CORSMiddleware<BasicRequestContext>.Configuration(allowedOrigins: .list(["https://app.example"]))

    @Test(arguments: TestMode.allCases)
    func preflightFromAllowedOriginIsAnswered(mode: TestMode) async throws {
        try await withTestClient(router: Self.router(Self.listed), mode: mode, configuration: testConfiguration()) { client async throws in
            let response = try await client.execute(
                .options,
                "/data",
                headers: [.origin: "https://app.example", .accessControlRequestMethod: "POST"],
                body: nil
            )
            #expect(response.status == .noContent)
            #expect(response.headers[.accessControlAllowOrigin] == "https://app.example")
            #expect(response.headers[.accessControlAllowMethods] == "GET, HEAD, POST, PUT, PATCH, DELETE")
            #expect(response.headers[.accessControlAllowHeaders] == "Content-Type, Authorization, X-Request-Id")
            #expect(response.headers[.accessControlMaxAge] == "600")
            #expect(response.headers[values: .vary].contains("Origin"))
        }
    }

    @Test func preflightFromOtherOriginGetsNoPermission() async throws {
        let client = InProcessTestClient(router: Self.router(Self.listed))
        let response = try await client.execute(
            .options,
            "/data",
            headers: [.origin: "https://evil.example", .accessControlRequestMethod: "POST"],
            body: nil
        )
        #expect(response.headers[.accessControlAllowOrigin] == nil)
        #expect(response.headers[.accessControlAllowMethods] == nil)
    }

    @Test func actualRequestsAndErrorsAreMarkedForAllowedOrigins() async throws {
        let client = InProcessTestClient(router: Self.router(Self.listed))
        let ok = try await client.execute(.get, "/data", headers: [.origin: "https://app.example"], body: nil)
        #expect(ok.headers[.accessControlAllowOrigin] == "https://app.example")
        #expect(ok.headers[.accessControlExposeHeaders] == "X-Request-Id")
        let failed = try await client.execute(.get, "/fail", headers: [.origin: "https://app.example"], body: nil)
        #expect(failed.status == .conflict)
        #expect(failed.headers[.accessControlAllowOrigin] == "https://app.example")
        let other = try await client.execute(.get, "/data", headers: [.origin: "https://evil.example"], body: nil)
        #expect(other.headers[.accessControlAllowOrigin] == nil)
        let noOrigin = try await client.execute(.get, "/data")
        #expect(noOrigin.headers[.accessControlAllowOrigin] == nil)
    }

    @Test func anyOriginUsesStarUnlessCredentialsAreAllowed() async throws {
        let star = InProcessTestClient(router: Self.router(.init(allowedOrigins: .all)))
        let plain = try await star.execute(.get, "/data", headers: [.origin: "https://x.example"], body: nil)
        #expect(plain.headers[.accessControlAllowOrigin] == "*")
        var withCredentials = CORSMiddleware<BasicRequestContext>.Configuration(allowedOrigins: .all)
        withCredentials.allowCredentials = true
        let echoed = try await InProcessTestClient(router: Self.router(withCredentials))
            .execute(.get, "/data", headers: [.origin: "https://x.example"], body: nil)
        #expect(echoed.headers[.accessControlAllowOrigin] == "https://x.example")
        #expect(echoed.headers[.accessControlAllowCredentials] == "true")
    }
}
