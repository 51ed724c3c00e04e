import Logging
import Synchronization

/// Keeps every log record, so a test can look for the lines it expects.
struct CapturingLogHandler: LogHandler {
    struct Record: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: Logger.Metadata
    }

    final class Records: Sendable {
        private let records = Mutex<[Record]>([])

        var all: [Record] { self.records.withLock { $0 } }

        func append(_ record: Record) { self.records.withLock { $0.append(record) } }

        /// A logger that writes here.
        func logger() -> Logger {
            Logger(label: "jaan.timeout.test") { _ in CapturingLogHandler(records: self) }
        }
    }

    let records: Records
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        self.records.append(
            Record(level: event.level, message: event.message.description, metadata: self.metadata.merging(event.metadata ?? [:]) { $1 })
        )
    }
}
