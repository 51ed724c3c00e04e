import NIOCore

/// Runs a connection's tasks on its channel's event loop thread, so that handling a request needs no thread hop
/// between the socket and the handler.
///
/// Work that awaits elsewhere (an actor, another executor) hops there and back as usual; code that blocks the
/// thread blocks the event loop, as it would in any NIO handler.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}

/// One executor per event loop of a group, looked up by the loop a channel belongs to.
struct EventLoopExecutors: Sendable {
    private let executors: [ObjectIdentifier: EventLoopTaskExecutor]

    init(group: any EventLoopGroup) {
        var executors: [ObjectIdentifier: EventLoopTaskExecutor] = [:]
        for eventLoop in group.makeIterator() {
            executors[ObjectIdentifier(eventLoop)] = EventLoopTaskExecutor(eventLoop: eventLoop)
        }
        self.executors = executors
    }

    /// The executor of `eventLoop`, or `nil` if the loop is not in the group.
    func executor(for eventLoop: any EventLoop) -> EventLoopTaskExecutor? {
        self.executors[ObjectIdentifier(eventLoop)]
    }
}
