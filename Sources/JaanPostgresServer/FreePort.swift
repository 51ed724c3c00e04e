#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Asks the kernel for a TCP port of `127.0.0.1` that nothing listens on.
enum FreePort {
    static func reserve() throws -> Int {
        #if canImport(Darwin)
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #else
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else { throw LocalPostgresServerError.noFreePort(errno: errno) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                guard bind(fd, generic, length) == 0 else { return false }
                return getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else { throw LocalPostgresServerError.noFreePort(errno: errno) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
