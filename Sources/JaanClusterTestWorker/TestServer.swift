import Foundation
import JaanCluster
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Memory `/grow` keeps resident for the life of the process.
private let retained = Mutex<[[UInt8]]>([])

/// A thread-per-connection HTTP/1.1 server over the worker's inherited listening socket.
final class TestServer: Sendable {
    private static let acceptors = 4

    let worker: Worker
    private let stopPipe: Int32
    private let stopping = Atomic<Bool>(false)
    /// Connections being served, plus acceptors between their stop check and `accept`.
    private let openConnections = Atomic<Int>(0)

    init(worker: Worker) {
        self.worker = worker
        self.stopPipe = StopSignal.install()
        // Several processes and threads wait on the one socket; none may block in accept.
        _ = fcntl(worker.listeningSocket, F_SETFL, fcntl(worker.listeningSocket, F_GETFL) | O_NONBLOCK)
    }

    func start() {
        for _ in 0..<Self.acceptors {
            Thread { self.acceptLoop() }.start()
        }
        worker.logger.info("Test worker accepting", metadata: ["pid": "\(getpid())"])
    }

    /// Blocks until SIGTERM and until every open connection is finished; returns the exit code.
    func waitUntilStopped() -> Int32 {
        var entry = pollfd(fd: stopPipe, events: Int16(POLLIN), revents: 0)
        while poll(&entry, 1, -1) <= 0 {}
        stopping.store(true, ordering: .sequentiallyConsistent)
        worker.logger.info("Test worker draining", metadata: ["connections": "\(openConnections.load(ordering: .relaxed))"])
        while openConnections.load(ordering: .sequentiallyConsistent) > 0 {
            usleep(5_000)
        }
        worker.logger.info("Test worker stopped")
        return 0
    }

    private func acceptLoop() {
        var entries = [
            pollfd(fd: worker.listeningSocket, events: Int16(POLLIN), revents: 0),
            pollfd(fd: stopPipe, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            entries[0].revents = 0
            entries[1].revents = 0
            guard poll(&entries, 2, -1) >= 0 || errno == EINTR else { return }
            if entries[1].revents != 0 { return }
            // Counted before the stop check, so the drain cannot miss a connection accepted just as it begins.
            openConnections.add(1, ordering: .sequentiallyConsistent)
            if stopping.load(ordering: .sequentiallyConsistent) {
                openConnections.subtract(1, ordering: .sequentiallyConsistent)
                return
            }
            let connection = accept(worker.listeningSocket, nil, nil)
            guard connection >= 0 else {
                openConnections.subtract(1, ordering: .sequentiallyConsistent)
                continue
            }
            Thread {
                self.serve(connection)
                close(connection)
                self.openConnections.subtract(1, ordering: .sequentiallyConsistent)
            }.start()
        }
    }

    // MARK: - Connections

    private func serve(_ connection: Int32) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        var stopSeenAt: ContinuousClock.Instant?
        while true {
            if let end = headerEnd(buffer) {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 4)
                let lines = head.split(separator: "\r\n")
                let requestLine = lines.first.map(String.init) ?? ""
                let headers = lines.dropFirst().map { $0.lowercased() }
                let bodyLength =
                    headers.first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                guard readBody(connection, length: bodyLength, buffer: &buffer, chunk: &chunk) else { return }
                let wantsClose = headers.contains { $0.hasPrefix("connection:") && $0.contains("close") }
                let close = wantsClose || stopping.load(ordering: .relaxed)
                if requestLine.hasPrefix("GET /slow") {
                    // Headers first, so a client knows the request is in flight before the wait.
                    guard slow(connection, requestLine: requestLine, close: close), !close else { return }
                    continue
                }
                let (status, body) = respond(to: requestLine)
                var response = "HTTP/1.1 \(status)\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n"
                response += close ? "Connection: close\r\n\r\n" : "\r\n"
                response += body
                guard writeAll(connection, Array(response.utf8)), !close else { return }
                continue
            }
            // Idle or mid-request: wait for bytes, and when stopping give an idle client a short grace.
            var entry = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, 50)
            if ready == 0 {
                if stopping.load(ordering: .relaxed) {
                    let now = ContinuousClock.now
                    if let seen = stopSeenAt, seen.duration(to: now) > .milliseconds(200), buffer.isEmpty { return }
                    stopSeenAt = stopSeenAt ?? now
                }
                continue
            }
            let count = chunk.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            buffer += chunk[0..<count]
        }
    }

    private func respond(to requestLine: String) -> (String, String) {
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3, parts[0] == "GET" else { return ("400 Bad Request", "bad request\n") }
        let target = parts[1]
        let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        let query = target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        let number = Int(query.split(separator: "=").last ?? "") ?? 0
        switch path {
        case "/":
            return ("200 OK", "ok\n")
        case "/pid":
            return ("200 OK", "\(getpid())\n")
        case "/share":
            return ("200 OK", "\(worker.workerCount) \(worker.cpuShare)\n")
        case "/grow":
            var block = [UInt8](repeating: 0, count: number * 1_048_576)
            for page in stride(from: 0, to: block.count, by: 4096) { block[page] = 1 }
            retained.withLock { $0.append(block) }
            return ("200 OK", "grew \(number) MB in \(getpid())\n")
        case "/crash":
            worker.logger.info("Crashing, as asked")
            exit(1)
        default:
            return ("404 Not Found", "not found\n")
        }
    }

    /// `GET /slow?ms=N`: sends the headers, waits N ms, then sends the body.
    private func slow(_ connection: Int32, requestLine: String, close: Bool) -> Bool {
        let milliseconds = Int(requestLine.split(separator: " ").dropFirst().first?.split(separator: "=").last ?? "") ?? 0
        let body = "slept \(milliseconds) ms\n"
        var head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n"
        head += close ? "Connection: close\r\n\r\n" : "\r\n"
        guard writeAll(connection, Array(head.utf8)) else { return false }
        usleep(UInt32(clamping: milliseconds * 1000))
        return writeAll(connection, Array(body.utf8))
    }

    private func headerEnd(_ buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }

    private func readBody(_ connection: Int32, length: Int, buffer: inout [UInt8], chunk: inout [UInt8]) -> Bool {
        while buffer.count < length {
            let count = chunk.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            buffer += chunk[0..<count]
        }
        buffer.removeFirst(length)
        return true
    }

    private func writeAll(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }
}
