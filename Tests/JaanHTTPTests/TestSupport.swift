import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import Logging
import NIOCore
import Synchronization

/// A configuration with short, test-sized timeouts and limits.
func testConfiguration(_ adjust: (inout ServerConfiguration) -> Void = { _ in }) -> ServerConfiguration {
    var configuration = ServerConfiguration()
    configuration.accessLog = false
    configuration.shutdownTimeout = .seconds(2)
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
