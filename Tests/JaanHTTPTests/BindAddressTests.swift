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
        let (addresses, continuation) = AsyncStream.makeStream(of: SocketAddress?.self)
        let app = Application(router: Self.router(), configuration: testConfiguration { $0.address = address }) { continuation.yield($0) }
        let services = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: Logger(label: "jaan.test")))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = addresses.makeAsyncIterator()
            let local = try #require(await iterator.next() ?? nil)
            try await body(local)
            await services.triggerGracefulShutdown()
            try await group.next()
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
        }
    }
}
