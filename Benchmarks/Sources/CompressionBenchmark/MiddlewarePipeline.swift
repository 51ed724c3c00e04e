import HTTPTypes
import JaanCompression
import JaanHTTP
import Logging
import NIOCore

/// JaanCompression's middleware in an in-process JaanHTTP pipeline: the router, the middleware and a
/// handler that returns the JSON body, called as the server calls it, without sockets.
struct MiddlewarePipeline {
    private let responder: RouterResponder<BasicRequestContext>
    private let request: Request
    private let source: RequestContextSource

    init(body: ByteBuffer, acceptEncoding: String = "gzip, deflate, br") {
        let router = Router()
        router.add(middleware: ResponseCompressionMiddleware())
        router.get("/members") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(buffer: body))
        }
        self.responder = router.buildResponder()
        let head = HTTPRequest(method: .get, scheme: nil, authority: "localhost", path: "/members", headerFields: [.acceptEncoding: acceptEncoding])
        self.request = Request(head: head)
        self.source = RequestContextSource(requestID: "benchmark", logger: Logger(label: "benchmark") { _ in SwiftLogNoOpLogHandler() })
    }

    /// Runs one request and returns the compressed body.
    func respond() async throws -> ByteBuffer {
        let response = try await self.responder.respond(to: self.request, context: BasicRequestContext(source: self.source))
        return response.body.buffer!
    }
}
