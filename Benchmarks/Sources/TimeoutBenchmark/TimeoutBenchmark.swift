import HTTPTypes
import JaanHTTP
import JaanTimeout
import Logging
import ServiceLifecycle
import UnixSignals

/// Two JaanHTTP servers in one process, the same `/json` route on both, one of them behind `TimeoutMiddleware`
/// (60 seconds), so that `run-timeout.sh` can load them alternately under the same conditions.
///
/// The timed server also has `/stuck`, whose handler waits (without a timer of its own) until it is cancelled, behind a 10 ms deadline: loading it
/// makes thousands of timeouts a second, to check that resident memory stays flat.
///
/// Usage: `TimeoutBenchmark <plain port> <timeout port> [--control]`, or `TimeoutBenchmark --in-process <requests>` to time
/// the two routers' responders without sockets (see ``InProcessBenchmark``).
@main
struct TimeoutBenchmark {
    struct Message: Codable, Sendable {
        var message: String
    }

    static func main() async throws {
        let arguments = CommandLine.arguments
        var logger = Logger(label: "TimeoutBenchmark")
        logger.logLevel = .warning
        let (plain, timed) = Self.makeRouters()

        if arguments.count == 3, arguments[1] == "--in-process", let requests = Int(arguments[2]) {
            try await InProcessBenchmark(plain: plain.buildResponder(), timed: timed.buildResponder(), logger: logger).run(requests: requests)
            return
        }
        // `--control` serves the router without the middleware on both ports: an A/A run, whose ratios measure the
        // harness itself.
        let control = arguments.count == 4 && arguments[3] == "--control"
        guard arguments.count == 3 || control, let plainPort = Int(arguments[1]), let timeoutPort = Int(arguments[2]) else {
            print("usage: TimeoutBenchmark <plain port> <timeout port> [--control] | --in-process <requests>")
            return
        }

        let services = [plain, control ? Self.makeRouters().plain : timed].enumerated().map { index, router in
            var configuration = ServerConfiguration(address: .hostname("127.0.0.1", port: index == 0 ? plainPort : timeoutPort))
            configuration.accessLog = false
            return Application(router: router, configuration: configuration, logger: logger)
        }
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }

    /// The router without the middleware, and the one with it.
    static func makeRouters() -> (plain: Router<BasicRequestContext>, timed: Router<BasicRequestContext>) {
        let plain = Router()
        plain.get("/json") { _, _ in JSONResponse(Message(message: "Hello, World!")) }

        let timed = Router()
        timed.add(middleware: TimeoutMiddleware(.seconds(60)))
        timed.get("/json") { _, _ in JSONResponse(Message(message: "Hello, World!")) }
        timed.group().add(middleware: TimeoutMiddleware(.milliseconds(10))).get("/stuck") { _, _ -> String in
            await waitUntilCancelled()
            return "cancelled"
        }
        return (plain, timed)
    }
}

/// Waits until the task is cancelled, holding no timer.
func waitUntilCancelled() async {
    let (stream, continuation) = AsyncStream.makeStream(of: Never.self)
    await withTaskCancellationHandler {
        for await _ in stream {}
    } onCancel: {
        continuation.finish()
    }
}
