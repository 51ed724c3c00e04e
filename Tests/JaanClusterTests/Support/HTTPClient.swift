import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A blocking HTTP/1.1 client: one connection per request (`Connection: close`).
enum HTTPClient {
    struct Response {
        var status: Int
        var body: String
    }

    /// Sends `GET path` to 127.0.0.1:`port` and reads the whole response.
    /// - Parameter onHeaders: called once the status line and headers have arrived.
    static func get(port: Int, path: String, timeout: Duration = .seconds(10), onHeaders: () -> Void = {}) throws -> Response {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        defer { close(fd) }
        var time = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestFailure("connect: errno \(errno)") }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else {
            throw TestFailure("send: errno \(errno)")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var sawHeaders = false
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw TestFailure("recv: errno \(errno) after \(bytes.count) bytes") }
            if count == 0 { break }
            bytes += chunk[0..<count]
            if !sawHeaders, String(decoding: bytes, as: UTF8.self).contains("\r\n\r\n") {
                sawHeaders = true
                onHeaders()
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n"), text.hasPrefix("HTTP/1.1 "),
            let status = Int(text.dropFirst(9).prefix(3))
        else { throw TestFailure("malformed response of \(bytes.count) bytes") }
        let head = text[..<headEnd.lowerBound].lowercased()
        let body = String(text[headEnd.upperBound...])
        if let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
            let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)), length != body.utf8.count
        {
            throw TestFailure("truncated body: \(body.utf8.count) of \(length) bytes")
        }
        return Response(status: status, body: body)
    }
}

/// Clients on threads of their own sending `GET /` in a loop until stopped, counting outcomes.
final class Load: Sendable {
    struct Outcome {
        var succeeded: Int
        var failures: [String]
    }

    private let stopped = Atomic<Bool>(false)
    private let results = Mutex(Outcome(succeeded: 0, failures: []))
    private let group = DispatchGroup()

    /// Starts `clients` clients against `port`.
    init(port: Int, clients: Int) {
        for _ in 0..<clients {
            group.enter()
            Thread {
                while !self.stopped.load(ordering: .relaxed) {
                    do {
                        let response = try HTTPClient.get(port: port, path: "/")
                        self.results.withLock {
                            if response.status == 200 { $0.succeeded += 1 } else { $0.failures.append("status \(response.status)") }
                        }
                    } catch {
                        self.results.withLock { $0.failures.append("\(error)") }
                    }
                }
                self.group.leave()
            }.start()
        }
    }

    /// How many requests succeeded so far.
    var succeeded: Int { results.withLock { $0.succeeded } }

    /// Stops the clients, waits for their last request, and returns the outcome.
    func stop() -> Outcome {
        stopped.store(true, ordering: .relaxed)
        group.wait()
        return results.withLock { $0 }
    }
}
