import HTTPBenchmarkModel
import Hummingbird
import Logging

/// The HTTP benchmark app on Hummingbird 2, written as a Hummingbird user would: router closures, a
/// `String` response for text, and JSON through the context's `responseEncoder` (a `JSONEncoder`), which is
/// exactly what a `ResponseEncodable` return value does (the shared model lives in another module).
@main
struct HummingbirdApp {
    static func main() async throws {
        let options = ServerOptions()
        let router = Router()
        router.get("plaintext") { _, _ in
            Payloads.plaintext
        }
        router.get("json") { request, context in
            try context.responseEncoder.encode(Payloads.message, from: request, context: context)
        }
        router.get("users/:id") { request, context in
            guard let id = context.parameters.get("id").flatMap({ User.parseID($0[...]) }) else {
                throw HTTPError(.badRequest)
            }
            return try context.responseEncoder.encode(User(id: id), from: request, context: context)
        }
        var logger = Logger(label: "HummingbirdApp")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port)),
            logger: logger
        )
        try await app.runService()
    }
}
