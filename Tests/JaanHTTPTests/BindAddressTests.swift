import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import Logging
import NIOCore
import ServiceLifecycle
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

@Suite struct BindAddressTests {
    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/where") { _, _ in "here" }
        return router
    }

    /// Runs a server at `address` until `body` returns.
    func withServer(at address: BindAddress, _ body: @escaping @Sendable (SocketAddress) async throws -> Void) async throws {
        let configuration = testConfiguration { $0.address = address }
        try await withRunningApplication({ Application(router: Self.router(), configuration: configuration, onServerRunning: $0) }) { local, _ in
            try await body(local)
        }
    }

    @Test func servesOnAUnixDomainSocket() async throws {
        let path = "/tmp/jaan-test-\(UInt32.random(in: .min ... .max)).sock"
        defer { unlink(path) }
        try await self.withServer(at: .unixDomainSocket(path: path)) { address async throws in
            #expect(try await LiveTestClient(address: address).execute(.get, "/where").bodyString == "here")
        }
    }

    @Test func adoptsAnAlreadyListeningSocket() async throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(descriptor >= 0)
        let bound = try SocketAddress(ipAddress: "127.0.0.1", port: 0).withSockAddr { address, size in
            bind(descriptor, address, socklen_t(size))
        }
        #expect(bound == 0)
        #expect(listen(descriptor, 16) == 0)
        try await self.withServer(at: .socketDescriptor(descriptor)) { local async throws in
            #expect(local.port != nil && local.port != 0)
            #expect(try await LiveTestClient(address: local).execute(.get, "/where").bodyString == "here")
            // NIO listens again with 128 when it adopts a socket; the server's own backlog (256) must win.
            #expect(Self.backlog(of: descriptor) == 256)
        }
    }

    /// The backlog a listening TCP socket was given: Linux reports it in `TCP_INFO`'s `tcpi_sacked`.
    static func backlog(of descriptor: Int32) -> UInt32? {
        var info = tcp_info()
        var size = socklen_t(MemoryLayout<tcp_info>.size)
        guard getsockopt(descriptor, Int32(IPPROTO_TCP), TCP_INFO, &info, &size) == 0 else { return nil }
        return info.tcpi_sacked
    }
}
