import CLibPQ
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One thread of its own that waits, with `epoll`, until the sockets of libpq connections are ready.
///
/// libpq's non-blocking API tells the caller when it must wait for its socket; the waiting task
/// suspends on a continuation that this thread resumes. Neither a NIO event loop nor a thread of
/// Swift's cooperative pool ever blocks: only this thread sleeps, in `epoll_wait`, and it serves
/// every connection of the process. Each wait arms its socket once (`EPOLLONESHOT`), so an event
/// costs one `epoll_ctl` and a continuation resume, and one `epoll_wait` can wake many connections.
final class SocketReactor: Sendable {
    /// The reactor of this process, whose thread starts on first use and lives as long as the process.
    static let shared = SocketReactor()

    enum Interest {
        case readable
        case writable
        case either
    }

    private let epoll: Int32
    private let waiters = Mutex<[Int32: UnsafeContinuation<Void, any Error>]>([:])

    private init() {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        precondition(epoll >= 0, "epoll_create1 failed: \(errno)")
        let thread = Thread { [self] in loop() }
        thread.name = "jaan-postgres-reactor"
        thread.start()
    }

    /// Suspends until `socket` is ready for `interest`, or reports an error or hang-up.
    ///
    /// Task cancellation does not end this wait; the caller handles cancellation (by cancelling
    /// the statement on the server) and keeps waiting for the server's answer.
    func wait(socket: Int32, for interest: Interest) async throws {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            arm(socket: socket, interest: interest, continuation: continuation)
        }
    }

    /// Like ``wait(socket:for:)``, but ends with `CancellationError` when the task is cancelled.
    func cancellableWait(socket: Int32, for interest: Interest) async throws {
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                arm(socket: socket, interest: interest, continuation: continuation)
                if Task.isCancelled { resumeIfWaiting(socket: socket, throwing: CancellationError()) }
            }
        } onCancel: {
            resumeIfWaiting(socket: socket, throwing: CancellationError())
        }
    }

    /// Drops the registration of a socket that is about to be closed, ending any wait on it.
    func forget(socket: Int32) {
        resumeIfWaiting(socket: socket, throwing: PostgresError.connectionClosed)
        epoll_ctl(epoll, EPOLL_CTL_DEL, socket, nil)
    }

    private func arm(socket: Int32, interest: Interest, continuation: UnsafeContinuation<Void, any Error>) {
        waiters.withLock { $0[socket] = continuation }
        var flags = EPOLLONESHOT.rawValue | EPOLLRDHUP.rawValue
        switch interest {
        case .readable: flags |= EPOLLIN.rawValue
        case .writable: flags |= EPOLLOUT.rawValue
        case .either: flags |= EPOLLIN.rawValue | EPOLLOUT.rawValue
        }
        var event = epoll_event()
        event.events = flags
        event.data.fd = socket
        // A socket is added on its first wait; libpq may replace its socket while connecting,
        // and a closed socket leaves the epoll set by itself, so MOD falls back to ADD.
        if epoll_ctl(epoll, EPOLL_CTL_MOD, socket, &event) != 0 {
            if errno != ENOENT || epoll_ctl(epoll, EPOLL_CTL_ADD, socket, &event) != 0 {
                resumeIfWaiting(socket: socket, throwing: PostgresError.connectionClosed)
            }
        }
    }

    private func resumeIfWaiting(socket: Int32, throwing error: any Error) {
        waiters.withLock { $0.removeValue(forKey: socket) }?.resume(throwing: error)
    }

    private func loop() {
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        var ready: [UnsafeContinuation<Void, any Error>] = []
        ready.reserveCapacity(capacity)
        while true {
            let count = epoll_wait(epoll, events, Int32(capacity), -1)
            guard count > 0 else { continue }  // EINTR
            waiters.withLock { waiting in
                for index in 0..<Int(count) {
                    if let continuation = waiting.removeValue(forKey: events[index].data.fd) {
                        ready.append(continuation)
                    }
                }
            }
            for continuation in ready { continuation.resume() }
            ready.removeAll(keepingCapacity: true)
        }
    }
}
