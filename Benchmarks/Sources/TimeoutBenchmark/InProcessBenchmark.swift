import HTTPTypes
import JaanHTTP
import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Times `GET /json` through the two routers' responders, without sockets, on an event loop thread as the server
/// runs requests: the cost the middleware adds to each request, with far less noise than a load test.
///
/// Rounds alternate between the two responders; it prints the median CPU nanoseconds (the process's, which runs
/// nothing else meanwhile) per request of each, and the difference. CPU time, unlike wall time, does not grow when
/// other programs take the cores.
struct InProcessBenchmark {
    let plain: RouterResponder<BasicRequestContext>
    let timed: RouterResponder<BasicRequestContext>
    let logger: Logger

    func run(requests: Int, rounds: Int = 11) async throws {
        let executor = LoopExecutor(eventLoop: MultiThreadedEventLoopGroup.singleton.next())
        try await withTaskExecutorPreference(executor) {
            // Warm-up.
            _ = try await self.time(self.plain, requests: requests / 10)
            _ = try await self.time(self.timed, requests: requests / 10)
            var plainTimes: [Double] = []
            var timedTimes: [Double] = []
            for round in 0..<rounds {
                if round % 2 == 0 {
                    plainTimes.append(try await self.time(self.plain, requests: requests))
                    timedTimes.append(try await self.time(self.timed, requests: requests))
                } else {
                    timedTimes.append(try await self.time(self.timed, requests: requests))
                    plainTimes.append(try await self.time(self.plain, requests: requests))
                }
            }
            let plain = median(plainTimes)
            let timed = median(timedTimes)
            print("in-process GET /json, \(rounds) rounds of \(requests) requests, median CPU ns/request:")
            print("without TimeoutMiddleware: \(Int(plain)) (rounds: \(plainTimes.map { Int($0) }))")
            print("with TimeoutMiddleware:    \(Int(timed)) (rounds: \(timedTimes.map { Int($0) }))")
            // Each round's pair ran back to back, so the median of their differences is steadier than the difference of
            // the medians when the machine's speed changes between rounds.
            print("added per request: \(Int(median(zip(timedTimes, plainTimes).map { $0 - $1 }))) ns")
        }
    }

    /// Answers `requests` requests one after another; returns nanoseconds per request.
    private func time(_ responder: RouterResponder<BasicRequestContext>, requests: Int) async throws -> Double {
        let head = HTTPRequest(method: .get, scheme: nil, authority: "localhost", path: "/json")
        let start = processCPUTime()
        for index in 0..<requests {
            let context = BasicRequestContext(source: RequestContextSource(requestID: String(index), logger: self.logger))
            let response = try await responder.respond(to: Request(head: head), context: context)
            precondition(response.status == .ok)
        }
        return Double(processCPUTime() - start) / Double(requests)
    }
}

/// The CPU time the process has used, in nanoseconds.
private func processCPUTime() -> Int {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return time.tv_sec * 1_000_000_000 + time.tv_nsec
}

private func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

/// Runs tasks on an event loop thread, as JaanHTTP runs each connection's tasks.
final class LoopExecutor: TaskExecutor {
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
