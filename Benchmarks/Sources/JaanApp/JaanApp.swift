import FoundationEssentials
import HTTPBenchmarkModel
import HTTPTypes
import JaanHTTP
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// The HTTP benchmark app on JaanHTTP, written as a Jaan user would: router closures, a `String` response for
/// text, and JSON encoded per request with Foundation's `JSONEncoder`, as Hummingbird's app does.
@main
struct JaanApp {
    static func main() async throws {
        let options = ServerOptions()
        let router = Router()
        router.get("/plaintext") { _, _ in
            Payloads.plaintext
        }
        router.get("/json") { _, context in
            try jsonResponse(Payloads.message, context: context)
        }
        router.get("/users/:id") { _, context in
            guard let id = context.parameters["id"].flatMap({ User.parseID($0[...]) }) else {
                throw HTTPError(.badRequest)
            }
            return try jsonResponse(User(id: id), context: context)
        }
        var logger = Logger(label: "JaanApp")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port)),
            logger: logger
        )
        let services = ServiceGroup(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await services.run()
    }

    /// A `200 OK` with `value` as JSON, encoded for this request.
    static func jsonResponse(_ value: some Encodable, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder().encode(value)
        var buffer = context.allocator.buffer(capacity: data.count)
        buffer.writeBytes(data)
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(buffer: buffer))
    }
}
