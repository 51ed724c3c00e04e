import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

/// A configuration with short, test-sized timeouts and limits.
func testConfiguration(_ adjust: (inout ServerConfiguration) -> Void = { _ in }) -> ServerConfiguration {
    var configuration = ServerConfiguration()
    configuration.accessLog = false
    configuration.shutdownTimeout = .seconds(2)
    configuration.shutdownIdleGrace = .milliseconds(100)
    adjust(&configuration)
    return configuration
}

/// A logger that keeps what it is given, for tests that read logs.
final class LogCapture: Sendable {
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: Logger.Metadata
    }

    private let entries = Mutex<[Entry]>([])

    var logger: Logger {
        Logger(label: "jaan.test.capture") { _ in CapturingHandler(capture: self) }
    }

    var all: [Entry] { self.entries.withLock { $0 } }

    func append(_ entry: Entry) { self.entries.withLock { $0.append(entry) } }

    struct CapturingHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            self.capture.append(Entry(level: event.level, message: "\(event.message)", metadata: self.metadata.merging(event.metadata ?? [:]) { $1 }))
        }
    }
}

/// A one-shot signal a test can wait on.
final class Signal: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (self.stream, self.continuation) = AsyncStream.makeStream(of: Void.self)
    }

    func fire() {
        self.continuation.yield()
        self.continuation.finish()
    }

    func wait() async {
        for await _ in self.stream { return }
    }
}

/// Runs the application `makeApplication` builds (given the readiness callback to pass on) and `body` with its
/// address and a way to start graceful shutdown; shuts down after `body` if it has not, and returns once the server
/// has stopped.
func withRunningApplication<Responder: HTTPResponder>(
    _ makeApplication: (@escaping @Sendable (SocketAddress?) async -> Void) -> Application<Responder>,
    _ body: @escaping @Sendable (SocketAddress, @escaping @Sendable () async -> Void) async throws -> Void
) async throws {
    let (addresses, continuation) = AsyncStream.makeStream(of: SocketAddress?.self)
    let app = makeApplication { continuation.yield($0) }
    let services = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: Logger(label: "jaan.test")))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        var iterator = addresses.makeAsyncIterator()
        let address = try #require(await iterator.next() ?? nil)
        try await body(address) { await services.triggerGracefulShutdown() }
        await services.triggerGracefulShutdown()
        try await group.next()
    }
}
