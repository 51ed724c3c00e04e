import NIOCore
import NIOPosix

/// A listening TCP socket on an ephemeral loopback port, to occupy a port in a test.
struct ServerBootstrapHelper {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    static func listen() async throws -> ServerBootstrapHelper {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        return ServerBootstrapHelper(channel: channel)
    }

    func close() async throws { try await channel.close() }
}
