import ArgumentParser
import Foundation
import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import JaanPool
import JaanPostgres
import JaanPostgresServer
import Logging
import NIOCore
import Testing

@testable import JaanConnect

@Suite struct SettingsTests {
    @Test func defaultsAreTheOriginalDeploymentsPromises() throws {
        let settings = try Settings([:])
        #expect(settings.host == "0.0.0.0")
        #expect(settings.port == 3001)
        #expect(settings.databaseURL == nil)
        #expect(settings.workers == nil)
        #expect(settings.maxMemory == 1 << 30)
        #expect(settings.requestTimeout == .seconds(60))
        #expect(settings.shutdownTimeout == .seconds(5))
        #expect(settings.bodyLimit == 50 << 20)
        #expect(settings.poolMax == 50 && settings.poolMin == 10)
        #expect(settings.corsOrigins.isEmpty)
        #expect(settings.sessionCacheTTL == .seconds(1))
        #expect(settings.logLevel == .info)
    }

    @Test func everyVariableIsRead() throws {
        let settings = try Settings([
            "HOST": "127.0.0.1", "PORT": "8080", "DATABASE_URL": "postgresql://db/jaan", "JAAN_WORKERS": "3",
            "JAAN_MAX_MEMORY": "512MB", "JAAN_REQUEST_TIMEOUT": "1500ms", "JAAN_SHUTDOWN_TIMEOUT": "2m",
            "JAAN_BODY_LIMIT": "10mb", "JAAN_DB_POOL_MAX": "20", "JAAN_DB_POOL_MIN": "0",
            "JAAN_SESSION_CACHE_TTL": "250ms", "JAAN_CORS_ORIGINS": "https://a.example, https://b.example", "LOG_LEVEL": "DEBUG",
        ])
        #expect(settings.host == "127.0.0.1" && settings.port == 8080)
        #expect(settings.databaseURL == "postgresql://db/jaan")
        #expect(settings.workers == 3)
        #expect(settings.maxMemory == 512 << 20)
        #expect(settings.requestTimeout == .milliseconds(1500))
        #expect(settings.shutdownTimeout == .seconds(120))
        #expect(settings.bodyLimit == 10 << 20)
        #expect(settings.poolMax == 20 && settings.poolMin == 0)
        #expect(settings.sessionCacheTTL == .milliseconds(250))
        #expect(settings.corsOrigins == ["https://a.example", "https://b.example"])
        #expect(settings.logLevel == .debug)
    }

    @Test func flagsOverrideTheEnvironment() throws {
        let options = try ConfigurationOptions.parse(["--port", "9000", "--workers", "1", "--log-level", "error"])
        let settings = try Settings(options.values(environment: ["PORT": "1234", "HOST": "::1"]))
        #expect(settings.port == 9000 && settings.host == "::1" && settings.workers == 1 && settings.logLevel == .error)
    }

    @Test(arguments: [
        ("PORT", "http"), ("PORT", "70000"), ("JAAN_WORKERS", "0"), ("JAAN_WORKERS", "many"),
        ("JAAN_MAX_MEMORY", "lots"), ("JAAN_MAX_MEMORY", "1T"), ("JAAN_REQUEST_TIMEOUT", "soon"), ("JAAN_REQUEST_TIMEOUT", "5h"),
        ("JAAN_SHUTDOWN_TIMEOUT", "-1s"), ("JAAN_BODY_LIMIT", "0"), ("JAAN_DB_POOL_MAX", "0"), ("JAAN_DB_POOL_MIN", "x"),
        ("JAAN_SESSION_CACHE_TTL", "-1s"), ("JAAN_SESSION_CACHE_TTL", "briefly"), ("LOG_LEVEL", "loud"),
    ])
    func aBadValueIsRefusedNamingTheVariable(name: String, value: String) {
        #expect {
            try Settings([name: value])
        } throws: { error in
            (error as? SettingsError)?.name == name && "\(error)".hasPrefix("invalid \(name): ")
        }
    }

    @Test func aSessionCacheTTLOfZeroTurnsTheCacheOff() throws {
        #expect(try Settings(["JAAN_SESSION_CACHE_TTL": "0"]).sessionCacheTTL == .zero)
        let options = try ConfigurationOptions.parse(["--session-cache-ttl", "2s"])
        #expect(try Settings(options.values(environment: [:])).sessionCacheTTL == .seconds(2))
    }

    @Test func aPoolMinimumAboveTheMaximumIsRefused() {
        #expect(throws: SettingsError.self) { try Settings(["JAAN_DB_POOL_MAX": "5", "JAAN_DB_POOL_MIN": "6"]) }
    }
}
