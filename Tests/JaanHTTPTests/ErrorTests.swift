import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import Logging
import NIOCore
import Testing

@Suite struct ErrorTests {
    struct DatabaseFailure: Error, CustomStringConvertible {
        var description: String { "SELECT * FROM users WHERE password = 'hunter2' at /srv/app/Sources/db.swift:42" }
    }

    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/internal") { _, _ -> String in throw DatabaseFailure() }
        router.get("/teapot") { _, _ -> String in
            throw HTTPError(.init(code: 418, reasonPhrase: "I'm a teapot"), message: "Short and \"stout\"", headers: [.retryAfter: "5"])
        }
        return router
    }

    @Test(arguments: TestMode.allCases)
    func unknownErrorBecomesGeneric500AndGoesToTheLogOnly(mode: TestMode) async throws {
        let capture = LogCapture()
        try await withTestClient(router: Self.router(), mode: mode, configuration: testConfiguration(), logger: capture.logger) {
            client async throws in
            let response = try await client.execute(.get, "/internal")
            #expect(response.status == .internalServerError)
            #expect(response.bodyString == #"{"error":{"status":500,"message":"Internal Server Error"}}"#)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            #expect(!response.bodyString.contains("hunter2"))
        }
        let logged = try #require(capture.all.first { $0.message == "Request failed" })
        #expect(logged.level == .error)
        #expect(logged.metadata["error"]?.description.contains("hunter2") == true)
        #expect(logged.metadata["request_id"] != nil)
    }

    @Test(arguments: TestMode.allCases)
    func httpErrorKeepsItsStatusMessageAndHeaders(mode: TestMode) async throws {
        try await withTestClient(router: Self.router(), mode: mode, configuration: testConfiguration()) { client async throws in
            let response = try await client.execute(.get, "/teapot")
            #expect(response.status.code == 418)
            #expect(response.headers[.retryAfter] == "5")
            #expect(response.bodyString == #"{"error":{"status":418,"message":"Short and \"stout\""}}"#)
        }
    }
}
