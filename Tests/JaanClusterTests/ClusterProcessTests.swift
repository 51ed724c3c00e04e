import Foundation
import Synchronization
import Testing

@testable import JaanCluster

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The supervisor on real processes and signals, running the `JaanClusterTestWorker` binary.
@Suite(.serialized) struct ClusterProcessTests {
    /// Every worker online and none of `gone` among them.
    static func replaced(_ gone: Set<Int32>, count: Int = 2) -> (ClusterStatus) -> Bool {
        { status in
            status.phase == "running" && status.workers.count == count && status.workers.allSatisfy { $0.state == .online }
                && status.workers.allSatisfy { !gone.contains($0.pid ?? -1) }
        }
    }

    /// With either way of listening: a socket per worker, where the dead worker's connections wait for
    /// its replacement, or one socket, where the other worker takes them.
    @Test(arguments: [[], ["--shared-socket"]])
    func killedWorkerIsReplacedWhileThePortKeepsAnswering(listening: [String]) async throws {
        let (before, after, answered) = try await blocking {
            let cluster = try TestCluster(["--workers", "2"] + listening)
            defer { cluster.tearDown() }
            let before = try cluster.waitUntilOnline(2)
            // Each worker knows the cluster's size, and so its share of the CPUs.
            let share = try HTTPClient.get(port: before.port, path: "/share").body
            guard share == "2 \(max(1, UsableCPUs.count() / 2))\n" else { throw TestFailure("worker share \(share)") }
            let victim = before.workers[0].pid!
            // One request after another, from before the kill until the replacement is online.
            var answered = 0
            for _ in 0..<3 {
                guard try HTTPClient.get(port: before.port, path: "/").status == 200 else { throw TestFailure("not answered") }
                answered += 1
            }
            kill(victim, SIGKILL)
            let after = try waitFor("the replacement online", timeout: .seconds(20)) { () -> ClusterStatus? in
                guard try HTTPClient.get(port: before.port, path: "/").status == 200 else { throw TestFailure("not answered") }
                answered += 1
                return cluster.status().flatMap { Self.replaced([victim])($0) ? $0 : nil }
            }
            guard try HTTPClient.get(port: before.port, path: "/").status == 200 else { throw TestFailure("not answered") }
            return (before, after, answered + 1)
        }
        #expect(answered > 4)
        #expect(after.workers.first { $0.id == before.workers[0].id }?.restarts == 1)
        #expect(after.workers.first { $0.id == before.workers[1].id }?.pid == before.workers[1].pid)
        #expect(after.table().contains("online"))
    }

    /// Which worker answered each of `count` connections opened one after another.
    static func workersAnswering(_ count: Int) async throws -> [String: Int] {
        try await blocking {
            let cluster = try TestCluster(["--workers", "2"])
            defer { cluster.tearDown() }
            let status = try cluster.waitUntilOnline(2)
            var answers: [String: Int] = [:]
            for _ in 0..<count {
                let response = try HTTPClient.get(port: status.port, path: "/pid")
                guard response.status == 200 else { throw TestFailure("not answered: \(response.status)") }
                answers[response.body, default: 0] += 1
            }
            return answers
        }
    }

    @Test func connectionsAreSpreadOverTheWorkers() async throws {
        // A socket per worker: the kernel picks one by a hash of the connection's addresses, so 100
        // connections split about evenly; 25 or fewer on one side has a chance of about one in a
        // million. With one shared socket, the worker that wins the race to accept tends to keep
        // winning, and this fails most of the time.
        let answers = try await Self.workersAnswering(100)
        #expect(answers.count == 2, "\(answers)")
        #expect(answers.values.allSatisfy { $0 > 25 }, "\(answers)")
    }

    @Test func workerAboveTheMemoryLimitIsReplacedWithoutFailedRequests() async throws {
        let (grown, after, outcome) = try await blocking {
            let cluster = try TestCluster(["--workers", "2", "--memory-limit-mb", "64", "--shutdown-timeout-ms", "3000"])
            defer { cluster.tearDown() }
            let before = try cluster.waitUntilOnline(2)
            let load = Load(port: before.port, clients: 2)
            let response = try HTTPClient.get(port: before.port, path: "/grow?mb=96")
            guard response.status == 200, let grown = Int32(response.body.split(separator: " ").last?.dropLast() ?? "") else {
                _ = load.stop()
                throw TestFailure("grow failed: \(response.status) \(response.body)")
            }
            let after = try cluster.waitForStatus("the grown worker replaced", Self.replaced([grown]))
            let target = load.succeeded + 20
            _ = try? waitFor("more requests", timeout: .seconds(10)) { load.succeeded >= target ? true : nil }
            return (grown, after, load.stop())
        }
        #expect(outcome.failures == [])
        #expect(outcome.succeeded > 20)
        #expect(!after.workers.contains { $0.pid == grown })
        #expect(after.workers.map(\.restarts).reduce(0, +) == 1)
    }

    @Test func slowRequestFinishesOnSIGTERMAndTheSupervisorExitsInTime() async throws {
        let (response, exit, elapsed) = try await blocking {
            let cluster = try TestCluster(["--workers", "2", "--shutdown-timeout-ms", "5000"])
            defer { cluster.tearDown() }
            let status = try cluster.waitUntilOnline(2)
            let headers = DispatchSemaphore(value: 0)
            let result = SlowRequest(port: status.port, path: "/slow?ms=1500") { headers.signal() }
            guard headers.wait(timeout: .now() + 10) == .success else { throw TestFailure("slow request not started") }
            let sent = ContinuousClock.now
            cluster.signal(SIGTERM)
            let exit = try cluster.waitForExit(timeout: .seconds(15))
            let elapsed = sent.duration(to: .now)
            return (try result.wait(), exit, elapsed)
        }
        #expect(response.status == 200)
        #expect(response.body == "slept 1500 ms\n")
        #expect(exit.exitCode == 0)
        #expect(elapsed < .seconds(5) + .seconds(2))
    }

    @Test func interruptStopsTheClusterAndTheStatusShowsSamples() async throws {
        let (sampled, exit, final, log) = try await blocking {
            let cluster = try TestCluster(["--workers", "2"])
            defer { cluster.tearDown() }
            try cluster.waitUntilOnline(2)
            let sampled = try cluster.waitForStatus("memory and CPU sampled") { status in
                status.workers.count == 2 && status.workers.allSatisfy { ($0.residentBytes ?? 0) > 0 && $0.cpuPercent != nil }
            }
            cluster.signal(SIGINT)
            let exit = try cluster.waitForExit(timeout: .seconds(15))
            return (sampled, exit, cluster.status(), cluster.log)
        }
        #expect(exit.exitCode == 0)
        #expect(final?.phase == "stopped")
        #expect(final?.workers == [])
        #expect(sampled.supervisorPID > 0)
        #expect(sampled.workers.allSatisfy { $0.restarts == 0 && $0.startedAt != nil })
        // Every line the workers log carries their id.
        let workerLines = log.split(separator: "\n").filter { $0.contains("[JaanClusterTestWorker]") }
        #expect(workerLines.count >= 2)
        #expect(workerLines.allSatisfy { $0.contains("worker=0") || $0.contains("worker=1") })
    }

    @Test func workerStillBusyAfterTheShutdownTimeoutIsKilled() async throws {
        let (failed, exit, elapsed, pids) = try await blocking {
            let cluster = try TestCluster(["--workers", "2", "--shutdown-timeout-ms", "500"])
            defer { cluster.tearDown() }
            let status = try cluster.waitUntilOnline(2)
            let headers = DispatchSemaphore(value: 0)
            let result = SlowRequest(port: status.port, path: "/slow?ms=60000") { headers.signal() }
            guard headers.wait(timeout: .now() + 10) == .success else { throw TestFailure("slow request not started") }
            let sent = ContinuousClock.now
            cluster.signal(SIGTERM)
            let exit = try cluster.waitForExit(timeout: .seconds(15))
            let elapsed = sent.duration(to: .now)
            let failed = (try? result.wait()) == nil
            return (failed, exit, elapsed, status.workers.compactMap(\.pid))
        }
        #expect(failed)
        #expect(exit.exitCode == 0)
        #expect(elapsed < .seconds(10))
        #expect(pids.allSatisfy { !isRunning($0) })
    }

    @Test func crashLoopEndsInANonZeroExit() async throws {
        let (exit, log) = try await blocking {
            let cluster = try TestCluster([
                "--workers", "2", "--crash-on-start", "--initial-backoff-ms", "10", "--maximum-backoff-ms", "40", "--maximum-restarts", "3",
            ])
            defer { cluster.tearDown() }
            return (try cluster.waitForExit(timeout: .seconds(30)), cluster.log)
        }
        #expect(exit.exitCode == 1)
        #expect(log.contains("Worker restarted too often; cluster stopped"))
    }

    @Test func workerNeverReadyIsKilledAfterTheStartTimeout() async throws {
        let (exit, log) = try await blocking {
            let cluster = try TestCluster([
                "--workers", "2", "--never-ready", "--start-timeout-ms", "300", "--initial-backoff-ms", "10", "--maximum-restarts", "1",
            ])
            defer { cluster.tearDown() }
            return (try cluster.waitForExit(timeout: .seconds(30)), cluster.log)
        }
        #expect(exit.exitCode == 1)
        #expect(log.contains("reason=startTimeout"))
    }

    @Test func rollingReloadUnderLoadFailsNoRequest() async throws {
        let (before, after, outcome) = try await blocking {
            let cluster = try TestCluster(["--workers", "2", "--shutdown-timeout-ms", "3000"])
            defer { cluster.tearDown() }
            let before = try cluster.waitUntilOnline(2)
            let load = Load(port: before.port, clients: 3)
            _ = try? waitFor("load running", timeout: .seconds(10)) { load.succeeded >= 20 ? true : nil }
            cluster.signal(SIGHUP)
            let old = Set(before.workers.compactMap(\.pid))
            let after: ClusterStatus
            do {
                after = try cluster.waitForStatus("every worker replaced", Self.replaced(old))
            } catch {
                _ = load.stop()
                throw error
            }
            let target = load.succeeded + 20
            _ = try? waitFor("more requests", timeout: .seconds(10)) { load.succeeded >= target ? true : nil }
            return (before, after, load.stop())
        }
        #expect(outcome.failures == [])
        #expect(outcome.succeeded > 40)
        #expect(Set(after.workers.compactMap(\.pid)).isDisjoint(with: before.workers.compactMap(\.pid)))
        #expect(after.workers.allSatisfy { $0.restarts == 1 })
    }

    @Test func killedSupervisorLeavesNoWorkerBehind() async throws {
        let (exit, survivors) = try await blocking {
            let cluster = try TestCluster(["--workers", "2"])
            defer { cluster.tearDown() }
            let status = try cluster.waitUntilOnline(2)
            let pids = status.workers.compactMap(\.pid)
            cluster.signal(SIGKILL)
            let exit = try cluster.waitForExit(timeout: .seconds(10))
            _ = try? waitFor("workers gone", timeout: .seconds(15)) { pids.allSatisfy { !isRunning($0) } ? true : nil }
            return (exit, pids.filter(isRunning))
        }
        #expect(exit.signal == SIGKILL)
        #expect(survivors == [])
    }
}

/// A request on a thread of its own, so the test can act while it is in flight.
final class SlowRequest: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<HTTPClient.Response, TestFailure>?>(nil)

    init(port: Int, path: String, onHeaders: @escaping @Sendable () -> Void) {
        Thread {
            let outcome = Result { try HTTPClient.get(port: port, path: path, timeout: .seconds(30), onHeaders: onHeaders) }
                .mapError { $0 as? TestFailure ?? TestFailure("\($0)") }
            self.result.withLock { $0 = outcome }
            self.done.signal()
        }.start()
    }

    func wait() throws -> HTTPClient.Response {
        done.wait()
        return try result.withLock { $0! }.get()
    }
}
