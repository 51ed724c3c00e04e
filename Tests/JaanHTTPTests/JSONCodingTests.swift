import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import NIOCore
import Testing

@Suite struct JSONCodingTests {
    struct NewUser: Codable, ResponseEncodable {
        var name: String
        var age: Int
    }

    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/users") { request, context in
            let user = try await request.decode(as: NewUser.self, context: context)
            return JSONResponse(status: .created, user)
        }
        router.get("/user") { _, _ in NewUser(name: "Ada", age: 36) }
        return router
    }

    static let json: HTTPFields = [.contentType: "application/json; charset=utf-8"]

    @Test(arguments: TestMode.allCases)
    func validJSONIsDecodedAndEncoded(mode: TestMode) async throws {
        try await withTestClient(router: Self.router(), mode: mode, configuration: testConfiguration()) { client async throws in
            let created = try await client.execute(.post, "/users", headers: Self.json, body: #"{"name":"Grace","age":85}"#)
            #expect(created.status == .created)
            #expect(created.headers[.contentType] == "application/json; charset=utf-8")
            #expect(created.bodyString.contains(#""name":"Grace""#))
            #expect(try await client.execute(.get, "/user").bodyString.contains(#""age":36"#))
        }
    }

    @Test(arguments: [
        (#"{"name":"Grace""#, "Malformed JSON"),
        (#"{"name":"Grace"}"#, "Missing field age"),
        (#"{"name":"Grace","age":"old"}"#, "Invalid value for age"),
        (#"{"name":null,"age":1}"#, "Missing value for name"),
    ])
    func badJSONIs400WithAReason(body: String, reason: String) async throws {
        let client = InProcessTestClient(router: Self.router())
        let response = try await client.execute(.post, "/users", headers: Self.json, body: body)
        #expect(response.status == .badRequest)
        #expect(response.bodyString == #"{"error":{"status":400,"message":"\#(reason)"}}"#)
    }

    @Test func wrongContentTypeIs415() async throws {
        let client = InProcessTestClient(router: Self.router())
        let response = try await client.execute(.post, "/users", headers: [.contentType: "text/plain"], body: "{}")
        #expect(response.status == .unsupportedMediaType)
        let missing = try await client.execute(.post, "/users", headers: [:], body: "{}")
        #expect(missing.status == .unsupportedMediaType)
        let vendor = try await client.execute(.post, "/users", headers: [.contentType: "application/vnd.api+json"], body: #"{"name":"A","age":1}"#)
        #expect(vendor.status == .created)
    }
}
