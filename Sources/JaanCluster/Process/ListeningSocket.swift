#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A bound, listening TCP socket, created close-on-exec (a worker gets it by an explicit file action).
struct ListeningSocket: Sendable {
    let descriptor: Int32
    let port: Int

    /// Binds `count` sockets to one port: the first on `host:port`, the others on the port it got.
    /// Several get `SO_REUSEPORT`, so that the kernel spreads new connections among them.
    static func bindGroup(count: Int, host: String, port: Int, backlog: Int) throws(ClusterError) -> [ListeningSocket] {
        let reusePort = count > 1
        let first = try bind(host: host, port: port, backlog: backlog, reusePort: reusePort)
        var sockets = [first]
        do {
            while sockets.count < count {
                sockets.append(try bind(host: host, port: first.port, backlog: backlog, reusePort: reusePort))
            }
        } catch {
            for socket in sockets { close(socket.descriptor) }
            throw error
        }
        return sockets
    }

    /// Binds `host:port` with `SO_REUSEADDR`, and `SO_REUSEPORT` when `reusePort` is set, and starts listening.
    static func bind(host: String, port: Int, backlog: Int, reusePort: Bool = false) throws(ClusterError) -> ListeningSocket {
        guard (0...65535).contains(port) else { throw .addressNotResolved }
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { throw .addressNotResolved }
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .bindFailed(errno: errno) }
        var one: Int32 = 1
        guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) == 0,
            !reusePort || setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size)) == 0,
            Glibc.bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0,
            listen(fd, Int32(clamping: backlog)) == 0
        else {
            let error = errno
            close(fd)
            throw .bindFailed(errno: error)
        }
        guard let bound = boundPort(of: fd) else {
            let error = errno
            close(fd)
            throw .bindFailed(errno: error)
        }
        return ListeningSocket(descriptor: fd, port: bound)
    }

    /// The local port a socket is bound to.
    static func boundPort(of fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
        default:
            return nil
        }
    }
}
