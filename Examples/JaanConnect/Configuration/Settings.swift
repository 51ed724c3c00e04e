import Foundation
import JaanCluster
import Logging

/// Everything `jaan-connect` reads from its flags and environment, validated.
///
/// Every field has the default the original deployment promised; a bad value is refused with a
/// message that names the variable.
struct Settings: Sendable, Equatable {
    /// `HOST`: the address to listen on. Defaults to `0.0.0.0`.
    var host = "0.0.0.0"
    /// `PORT`: the TCP port. Defaults to 3001.
    var port = 3001
    /// `DATABASE_URL`: a libpq URI or connection string; `nil` runs the embedded PostgreSQL. Defaults to `nil`.
    var databaseURL: String?
    /// `JAAN_WORKERS`: worker processes; `nil` is one per CPU. Defaults to `nil`.
    var workers: Int?
    /// `JAAN_MAX_MEMORY`: the resident memory above which a worker is replaced, in bytes. Defaults to 1 GiB.
    var maxMemory = 1 << 30
    /// `JAAN_REQUEST_TIMEOUT`: the deadline of every request. Defaults to 60 seconds.
    var requestTimeout = Duration.seconds(60)
    /// `JAAN_SHUTDOWN_TIMEOUT`: how long a stop waits for requests in flight. Defaults to 5 seconds.
    var shutdownTimeout = Duration.seconds(5)
    /// `JAAN_BODY_LIMIT`: the largest request body, in bytes. Defaults to 50 MiB.
    var bodyLimit = 50 << 20
    /// `JAAN_DB_POOL_MAX`: the most database connections per worker. Defaults to 50.
    var poolMax = 50
    /// `JAAN_DB_POOL_MIN`: the connections kept open per worker. Defaults to 10.
    var poolMin = 10
    /// `JAAN_SESSION_CACHE_TTL`: how long a worker trusts a session it looked up without asking the
    /// database again, so a logout reaches the other workers and hosts at most this much later;
    /// `0` turns the cache off. Defaults to 1 second.
    var sessionCacheTTL = Duration.seconds(1)
    /// `JAAN_CORS_ORIGINS`: comma-separated origins allowed by CORS; `*` allows any. Defaults to none.
    var corsOrigins: [String] = []
    /// `LOG_LEVEL`: trace, debug, info, notice, warning, error or critical. Defaults to info.
    var logLevel = Logger.Level.info

    /// The listen backlog, for the supervisor that binds the sockets and the workers that adopt them: hundreds of
    /// users connect in bursts, and 200 connecting at once overflowed a queue of 128.
    static let listenBacklog = 1024

    /// The names of the variables, as read from the environment.
    static let variableNames = [
        "HOST", "PORT", "DATABASE_URL", "JAAN_WORKERS", "JAAN_MAX_MEMORY", "JAAN_REQUEST_TIMEOUT",
        "JAAN_SHUTDOWN_TIMEOUT", "JAAN_BODY_LIMIT", "JAAN_DB_POOL_MAX", "JAAN_DB_POOL_MIN", "JAAN_SESSION_CACHE_TTL", "JAAN_CORS_ORIGINS",
        "LOG_LEVEL",
    ]

    /// Reads the settings from `values` (the environment overlaid with flags), keyed by variable name.
    ///
    /// - Throws: ``SettingsError`` naming the first variable whose value is not valid.
    init(_ values: [String: String]) throws(SettingsError) {
        func value(_ name: String) -> String? {
            guard let raw = values[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        if let host = value("HOST") { self.host = host }
        if let port = value("PORT") { self.port = try Self.integer(port, name: "PORT", in: 0...65535) }
        self.databaseURL = value("DATABASE_URL")
        if let workers = value("JAAN_WORKERS"), workers.lowercased() != "auto" {
            self.workers = try Self.integer(workers, name: "JAAN_WORKERS", in: 1...1024)
        }
        if let memory = value("JAAN_MAX_MEMORY") { self.maxMemory = try ByteSize.parse(memory, name: "JAAN_MAX_MEMORY") }
        if let timeout = value("JAAN_REQUEST_TIMEOUT") { self.requestTimeout = try TimeSpan.parse(timeout, name: "JAAN_REQUEST_TIMEOUT") }
        if let timeout = value("JAAN_SHUTDOWN_TIMEOUT") { self.shutdownTimeout = try TimeSpan.parse(timeout, name: "JAAN_SHUTDOWN_TIMEOUT") }
        if let limit = value("JAAN_BODY_LIMIT") { self.bodyLimit = try ByteSize.parse(limit, name: "JAAN_BODY_LIMIT") }
        if let maximum = value("JAAN_DB_POOL_MAX") { self.poolMax = try Self.integer(maximum, name: "JAAN_DB_POOL_MAX", in: 1...10_000) }
        if let minimum = value("JAAN_DB_POOL_MIN") { self.poolMin = try Self.integer(minimum, name: "JAAN_DB_POOL_MIN", in: 0...10_000) }
        guard poolMin <= poolMax else { throw .invalid(name: "JAAN_DB_POOL_MIN", reason: "must not exceed JAAN_DB_POOL_MAX (\(poolMax))") }
        if let ttl = value("JAAN_SESSION_CACHE_TTL") {
            self.sessionCacheTTL = ttl == "0" ? .zero : try TimeSpan.parse(ttl, name: "JAAN_SESSION_CACHE_TTL")
        }
        if let origins = value("JAAN_CORS_ORIGINS") {
            self.corsOrigins = origins.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let level = value("LOG_LEVEL") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw .invalid(name: "LOG_LEVEL", reason: "expected trace, debug, info, notice, warning, error or critical")
            }
            self.logLevel = parsed
        }
    }

    /// The default settings.
    init() {}

    /// The cluster's worker count: `JAAN_WORKERS`, else one per CPU in a release build and one in a debug build.
    ///
    /// SwiftNIO asserts, in debug builds only, when a worker wakes for a connection that another worker on a
    /// shared socket accepted first (a worker and its replacement share one during a reload); so `swift run`
    /// serves with one process, and release builds with one per CPU.
    var workerCount: WorkerCount {
        if let workers { return .fixed(workers) }
        #if DEBUG
        return .fixed(1)
        #else
        return .automatic
        #endif
    }

    private static func integer(_ text: String, name: String, in range: ClosedRange<Int>) throws(SettingsError) -> Int {
        guard let number = Int(text), range.contains(number) else {
            throw .invalid(name: name, reason: "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}
