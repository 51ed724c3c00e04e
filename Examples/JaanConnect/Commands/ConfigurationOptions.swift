import ArgumentParser
import Foundation
import JaanPool
import JaanPostgres
import Logging
import NIOCore

/// The flags every subcommand shares; each overrides the environment variable of the same meaning.
struct ConfigurationOptions: ParsableArguments {
    @Option(help: "Address to listen on (HOST, default 0.0.0.0).") var host: String?
    @Option(help: "TCP port (PORT, default 3001).") var port: String?
    @Option(help: "PostgreSQL URL (DATABASE_URL; unset runs an embedded server under .jaan/postgres).") var databaseURL: String?
    @Option(help: "Worker processes (JAAN_WORKERS, default one per CPU).") var workers: String?
    @Option(help: "Resident memory that restarts a worker (JAAN_MAX_MEMORY, default 1G).") var maxMemory: String?
    @Option(help: "Deadline of every request (JAAN_REQUEST_TIMEOUT, default 60s).") var requestTimeout: String?
    @Option(help: "Grace for requests in flight on stop (JAAN_SHUTDOWN_TIMEOUT, default 5s).") var shutdownTimeout: String?
    @Option(help: "Largest request body (JAAN_BODY_LIMIT, default 50MB).") var bodyLimit: String?
    @Option(help: "Most database connections per worker (JAAN_DB_POOL_MAX, default 50).") var dbPoolMax: String?
    @Option(help: "Database connections kept open per worker (JAAN_DB_POOL_MIN, default 10).") var dbPoolMin: String?
    @Option(help: "How long a worker trusts a looked-up session, 0 for never (JAAN_SESSION_CACHE_TTL, default 1s).")
    var sessionCacheTTL: String?
    @Option(help: "Comma-separated CORS origins, * for any (JAAN_CORS_ORIGINS).") var corsOrigins: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical (LOG_LEVEL, default info).") var logLevel: String?

    /// The environment overlaid with the flags given, keyed by variable name.
    func values(environment: [String: String]) -> [String: String] {
        var values = environment
        let flags: [(String, String?)] = [
            ("HOST", host), ("PORT", port), ("DATABASE_URL", databaseURL), ("JAAN_WORKERS", workers),
            ("JAAN_MAX_MEMORY", maxMemory), ("JAAN_REQUEST_TIMEOUT", requestTimeout), ("JAAN_SHUTDOWN_TIMEOUT", shutdownTimeout),
            ("JAAN_BODY_LIMIT", bodyLimit), ("JAAN_DB_POOL_MAX", dbPoolMax), ("JAAN_DB_POOL_MIN", dbPoolMin),
            ("JAAN_SESSION_CACHE_TTL", sessionCacheTTL), ("JAAN_CORS_ORIGINS", corsOrigins), ("LOG_LEVEL", logLevel),
        ]
        for case (let name, let value?) in flags { values[name] = value }
        return values
    }

    /// The validated settings; a bad value prints a message naming the variable and exits with 78 (EX_CONFIG).
    func settings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Settings {
        do {
            return try Settings(values(environment: environment))
        } catch {
            FileHandle.standardError.write(Data("jaan-connect: \(error)\n".utf8))
            throw ExitCode(78)
        }
    }

    /// A logger at the configured level.
    func logger(_ settings: Settings, label: String = "jaan.connect") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = settings.logLevel
        return logger
    }
}
