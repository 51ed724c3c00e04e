import Foundation
import JaanPostgres
import JaanPostgresServer
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension PostgresTests {
    @Suite struct ConnectionTests {
        @Test func connectSetsSessionDefaults() async throws {
            try await TestServer.withConnection { connection async throws in
                let timeout = try await connection.query("SHOW statement_timeout")[0].decode(String.self, at: 0)
                let name = try await connection.query("SHOW application_name")[0].decode(String.self, at: 0)
                let zone = try await connection.query("SHOW TimeZone")[0].decode(String.self, at: 0)
                #expect(timeout == "1min")
                #expect(name == "jaan")
                #expect(zone == "UTC")
            }
        }

        @Test func sessionDefaultsFollowTheConfiguration() async throws {
            try await TestServer.withConnection(configure: {
                $0.statementTimeout = .seconds(5)
                $0.applicationName = "custom app"
            }) { connection async throws in
                let timeout = try await connection.query("SHOW statement_timeout")[0].decode(String.self, at: 0)
                let name = try await connection.query("SHOW application_name")[0].decode(String.self, at: 0)
                #expect(timeout == "5s")
                #expect(name == "custom app")
            }
        }

        @Test func connectsOverTheUnixSocketFromAConnectionString() async throws {
            let server = try TestServer.server
            let connection = try await PostgresConnection.connect(
                configuration: .init(connectionString: server.socketConnectionString())
            )
            #expect(try await connection.query("SELECT 1 AS one")[0].decode(Int.self, column: "one") == 1)
            await connection.close()
            #expect(!connection.isUsable)
        }

        @Test func connectToAClosedPortFailsWithoutLeakingTheAddress() async throws {
            let port = try closedPort()
            let error = await #expect(throws: PostgresError.self) {
                _ = try await PostgresConnection.connect(configuration: .init(connectionString: "postgresql://postgres@127.0.0.1:\(port)/postgres"))
            }
            #expect(error?.code == .connectionFailed)
            #expect(error?.description.contains("127.0.0.1") == false)
            #expect(error?.message?.isEmpty == false)
        }

        @Test func malformedConnectionStringIsRejected() async throws {
            let error = await #expect(throws: PostgresError.self) {
                _ = try await PostgresConnection.connect(configuration: .init(connectionString: "host=localhost bogus_option=1"))
            }
            #expect(error?.code == .connectionFailed)
        }

        @Test func connectToAServerThatNeverAnswersTimesOut() async throws {
            // A listening socket whose connections are never accepted: the kernel completes the
            // TCP handshake, and the startup message waits forever for an answer.
            let (listener, port) = try silentListener()
            defer { close(listener) }
            var configuration = PostgresConnection.Configuration(connectionString: "postgresql://postgres@127.0.0.1:\(port)/postgres")
            configuration.connectTimeout = .milliseconds(300)
            let started = ContinuousClock.now
            let error = await #expect(throws: PostgresError.self) {
                _ = try await PostgresConnection.connect(configuration: configuration)
            }
            #expect(error?.code == .connectTimeout)
            #expect(ContinuousClock.now - started < .seconds(10))
        }

        @Test func oneConnectionRefusesASecondConcurrentOperation() async throws {
            let table = TestServer.uniqueName()
            try await TestServer.withConnection { connection async throws in
                try await connection.query("CREATE TABLE \(identifier: table) (id int)")
                // While the COPY's writer runs, the COPY is the connection's operation.
                try await connection.copyFrom(table: table, columns: ["id"]) { writer in
                    let error = await #expect(throws: PostgresError.self) { try await connection.query("SELECT 1") }
                    #expect(error?.code == .connectionBusy)
                    try await writer.write(1)
                }
                #expect(try await connection.query("SELECT count(*) AS n FROM \(identifier: table)")[0].decode(Int.self, column: "n") == 1)
            }
        }
    }
}

/// A port on 127.0.0.1 that nothing listens on.
func closedPort() throws -> Int {
    let (socket, port) = try boundSocket()
    close(socket)
    return port
}

/// A socket listening on 127.0.0.1 that never accepts.
func silentListener() throws -> (Int32, Int) {
    let (socket, port) = try boundSocket()
    guard listen(socket, 16) == 0 else { throw TestSetupError() }
    return (socket, port)
}

private func boundSocket() throws -> (Int32, Int) {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
    }
    guard ok else { throw TestSetupError() }
    return (socket, Int(UInt16(bigEndian: address.sin_port)))
}
