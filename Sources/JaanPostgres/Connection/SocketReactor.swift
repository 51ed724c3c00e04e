import CLibPQ
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One thread of its own that waits, with `epoll`, until the sockets of libpq connections are ready,
/// and that also runs the tasks which prefer it as their executor.
///
/// libpq's non-blocking API tells the caller when it must wait for its socket; the waiting task
/// suspends on a continuation that this thread resumes. Neither a NIO event loop nor a thread of
/// Swift's cooperative pool ever blocks: only this thread sleeps, in `epoll_wait`, and it serves
/// every connection of the process. Each wait arms its socket once (`EPOLLONESHOT`), so an event
/// costs one `epoll_ctl` and a continuation resume, and one `epoll_wait` can wake many connections.
///
/// As a `TaskExecutor`, the thread runs the jobs of tasks that prefer it: such a task's
/// continuation resumes right here, so reading a result and sending the next statement need no
/// hop to another thread and no wake-up of a sleeping one. Jobs enqueued from other threads wake
/// the thread through an `eventfd`, only when it sleeps.
final class SocketReactor: TaskExecutor, Sendable {
    /// The reactor of this process, whose thread starts on first use and lives as long as the process.
    static let shared = SocketReactor()

    enum Interest {
        case readable
        case writable
        case either
    }

    private struct Jobs {
        var queue: [UnownedJob] = []
        /// Whether the thread is in, or about to enter, a blocking `epoll_wait`.
        var sleeping = false
    }

    private let epoll: Int32
    private let wakeup: Int32
    private let waiters = Mutex<[Int32: UnsafeContinuation<Void, any Error>]>([:])
    private let jobs = Mutex(Jobs())

    private init() {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        precondition(epoll >= 0, "epoll_create1 failed: \(errno)")
        wakeup = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        precondition(wakeup >= 0, "eventfd failed: \(errno)")
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wakeup
        precondition(epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event) == 0, "epoll_ctl failed: \(errno)")
        let thread = Thread { [self] in
            // Named from the thread itself (a new thread inherits its creator's name), for
            // profilers and debuggers; Linux keeps at most 15 characters.
            _ = jaan_set_thread_name("jaan-pg-reactor")
            loop()
        }
        thread.start()
    }

    /// Runs `job` on the reactor thread, waking it if it sleeps.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let wake = jobs.withLock { jobs in
            jobs.queue.append(job)
            defer { jobs.sleeping = false }
            return jobs.sleeping
        }
        if wake { eventfd_write(wakeup, 1) }
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
        var running: [UnownedJob] = []
        let executor = asUnownedTaskExecutor()
        while true {
            let idle = jobs.withLock { jobs in
                jobs.sleeping = jobs.queue.isEmpty
                return jobs.sleeping
            }
            let count = epoll_wait(epoll, events, Int32(capacity), idle ? -1 : 0)
            if count > 0 {
                waiters.withLock { waiting in
                    for index in 0..<Int(count) {
                        let socket = events[index].data.fd
                        if socket == wakeup {
                            var value: eventfd_t = 0
                            eventfd_read(wakeup, &value)
                        } else if let continuation = waiting.removeValue(forKey: socket) {
                            ready.append(continuation)
                        }
                    }
                }
                for continuation in ready { continuation.resume() }
                ready.removeAll(keepingCapacity: true)
            }
            jobs.withLock { jobs in
                jobs.sleeping = false
                swap(&running, &jobs.queue)
            }
            for job in running { job.runSynchronously(on: executor) }
            running.removeAll(keepingCapacity: true)
        }
    }
}
