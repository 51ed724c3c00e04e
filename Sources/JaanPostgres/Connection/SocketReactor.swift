import CLibPQ
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Threads of their own that wait, with `epoll`, until the sockets of libpq connections are ready,
/// and that also run the tasks which prefer them as their executor.
///
/// libpq's non-blocking API tells the caller when it must wait for its socket; the waiting task
/// suspends on a continuation that a reactor thread resumes. Neither a NIO event loop nor a thread
/// of Swift's cooperative pool ever blocks: only the reactor threads sleep, in `epoll_wait`. A
/// socket belongs to one thread (by its number), and each wait arms it once (`EPOLLONESHOT`), so
/// an event costs one `epoll_ctl` and a continuation resume, and one `epoll_wait` can wake many
/// connections.
///
/// As a `TaskExecutor`, the group runs the jobs of tasks that prefer it: a job enqueued on a
/// reactor thread (a continuation that thread resumed) runs on that same thread, so reading a
/// result and sending the next statement need no hop to another thread and no wake-up of a
/// sleeping one; a job enqueued from elsewhere goes to the threads in turn. There is one thread
/// per processor (at most 4), so tasks on the executor are not confined to one thread's share
/// of a busy machine.
final class SocketReactor: TaskExecutor, Sendable {
    /// The reactor of this process, whose threads start on first use and live as long as the process.
    static let shared = SocketReactor(threads: min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 4))

    enum Interest {
        case readable
        case writable
        case either
    }

    private let threads: [ReactorThread]
    private let nextThread = Atomic<Int>(0)

    private init(threads count: Int) {
        threads = (0..<count).map { _ in ReactorThread() }
        let executor = asUnownedTaskExecutor()
        for thread in threads { thread.start(executor: executor) }
    }

    private func thread(for socket: Int32) -> ReactorThread { threads[Int(socket) % threads.count] }

    /// Runs `job` on the calling reactor thread, or on the next one in turn when called from
    /// another thread.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let current = pthread_self()
        for thread in threads where thread.isCurrent(current) {
            thread.enqueue(job)
            return
        }
        threads[nextThread.wrappingAdd(1, ordering: .relaxed).oldValue % threads.count].enqueue(job)
    }

    /// Suspends until `socket` is ready for `interest`, or reports an error or hang-up.
    ///
    /// Task cancellation does not end this wait; the caller handles cancellation (by cancelling
    /// the statement on the server) and keeps waiting for the server's answer.
    func wait(socket: Int32, for interest: Interest) async throws {
        let thread = thread(for: socket)
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            thread.arm(socket: socket, interest: interest, continuation: continuation)
        }
    }

    /// Like ``wait(socket:for:)``, but ends with `CancellationError` when the task is cancelled.
    func cancellableWait(socket: Int32, for interest: Interest) async throws {
        let thread = thread(for: socket)
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                thread.arm(socket: socket, interest: interest, continuation: continuation)
                if Task.isCancelled { thread.resumeIfWaiting(socket: socket, throwing: CancellationError()) }
            }
        } onCancel: {
            thread.resumeIfWaiting(socket: socket, throwing: CancellationError())
        }
    }

    /// Drops the registration of a socket that is about to be closed, ending any wait on it.
    func forget(socket: Int32) {
        thread(for: socket).forget(socket: socket)
    }
}

/// One reactor thread: an `epoll` set, the continuations waiting on its sockets, and a queue of
/// jobs that an `eventfd` wakes it for.
private final class ReactorThread: Sendable {
    private struct Jobs {
        var queue: [UnownedJob] = []
        /// Whether the thread is in, or about to enter, a blocking `epoll_wait`.
        var sleeping = false
    }

    private let epoll: Int32
    private let wakeup: Int32
    private let waiters = Mutex<[Int32: UnsafeContinuation<Void, any Error>]>([:])
    private let jobs = Mutex(Jobs())
    /// The thread's `pthread_t`, 0 until it runs.
    private let identity = Atomic<UInt>(0)

    init() {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        precondition(epoll >= 0, "epoll_create1 failed: \(errno)")
        wakeup = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        precondition(wakeup >= 0, "eventfd failed: \(errno)")
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wakeup
        precondition(epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event) == 0, "epoll_ctl failed: \(errno)")
    }

    func start(executor: UnownedTaskExecutor) {
        let thread = Thread { [self] in
            identity.store(UInt(pthread_self()), ordering: .releasing)
            // Named from the thread itself (a new thread inherits its creator's name), for
            // profilers and debuggers; Linux keeps at most 15 characters.
            _ = jaan_set_thread_name("jaan-pg-reactor")
            loop(executor: executor)
        }
        thread.start()
    }

    func isCurrent(_ thread: pthread_t) -> Bool { identity.load(ordering: .relaxed) == UInt(thread) }

    /// Queues `job`, waking the thread if it sleeps.
    func enqueue(_ job: UnownedJob) {
        let wake = jobs.withLock { jobs in
            jobs.queue.append(job)
            defer { jobs.sleeping = false }
            return jobs.sleeping
        }
        if wake { eventfd_write(wakeup, 1) }
    }

    func arm(socket: Int32, interest: SocketReactor.Interest, continuation: UnsafeContinuation<Void, any Error>) {
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

    func forget(socket: Int32) {
        resumeIfWaiting(socket: socket, throwing: PostgresError.connectionClosed)
        epoll_ctl(epoll, EPOLL_CTL_DEL, socket, nil)
    }

    func resumeIfWaiting(socket: Int32, throwing error: any Error) {
        waiters.withLock { $0.removeValue(forKey: socket) }?.resume(throwing: error)
    }

    private func loop(executor: UnownedTaskExecutor) {
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        var ready: [UnsafeContinuation<Void, any Error>] = []
        ready.reserveCapacity(capacity)
        var running: [UnownedJob] = []
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
