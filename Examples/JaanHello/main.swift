import JaanHTTP
import Logging
import ServiceLifecycle
import UnixSignals

/// A minimal Jaan server: `swift run jaan-hello`, then `curl localhost:3001/hello/world`.
let logger = Logger(label: "jaan.hello")
let router = Router()
router.get("/hello/:name") { _, context in
    "Hello, \(try context.parameters.require("name"))!"
}
let app = Application(router: router, logger: logger)
let services = ServiceGroup(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
try await services.run()
