import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import JaanTimeout
import Logging
import MetricsTestKit
import NIOCore
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(1))) struct TimeoutMiddlewareTests {
    @Test func lateRequestGets503WithRetryAfterAndJSONBody() async throws {
        let clock = ManualClock()
        let router = Router()
        var configuration = Timeout.Configuration()
        configuration.timeout = .seconds(2)
        configuration.retryAfter = .milliseconds(1500)
        router.add(middleware: Timeout(configuration: configuration, clock: clock))
        router.get("/slow") { _, _ -> String in
            try await clock.sleep(for: .seconds(3600))
            throw UnexpectedCompletion()
        }
        let client = InProcessTestClient(router: router, logger: quietLogger)
        async let response = client.execute(.get, "/slow")
        await clock.waitForSleepers(2)  // the deadline and the handler
        clock.advance(by: .seconds(2))
        let answer = try await response
        #expect(answer.status == .serviceUnavailable)
        #expect(answer.headers[.retryAfter] == "2")
        #expect(answer.headers[.contentType] == "application/json; charset=utf-8")
        #expect(answer.bodyString == #"{"error":{"status":503,"message":"Request timed out"}}"#)
    }

    @Test func requestWithinTheDeadlineIsAnsweredByTheHandler() async throws {
        let clock = ManualClock()
        let router = Router()
        router.add(middleware: Timeout.manual(.seconds(2), clock: clock))
        router.get("/fast") { _, _ in "fast" }
        let client = InProcessTestClient(router: router, logger: quietLogger)
        let response = try await client.execute(.get, "/fast")
        #expect(response.status == .ok)
        #expect(response.bodyString == "fast")
    }

    @Test func timeoutTooLongToCountInNanosecondsNeverFires() async throws {
        let clock = ManualClock()
        let router = Router()
        let remainsLong: @Sendable (Request, BasicRequestContext) -> String = { _, context in
            "\((context.deadline?.remaining ?? .zero) > .seconds(1_000_000_000))"
        }
        router.group("/manual").add(middleware: Timeout.manual(.seconds(Int64.max), clock: clock)).get("/long", use: remainsLong)
        router.group("/loop").add(middleware: Timeout(.seconds(Int64.max))).get("/long", use: remainsLong)
        let client = InProcessTestClient(router: router, logger: quietLogger)
        #expect(try await client.execute(.get, "/manual/long").bodyString == "true")
        #expect(try await client.execute(.get, "/loop/long").bodyString == "true")
    }

    @Test func deadlineCancelsTheHandlerAndTheTasksItStarted() async throws {
        let clock = ManualClock()
        let handlerCancelled = Signal()
        let childCancelled = Signal()
        let router = Router()
        router.add(middleware: Timeout.manual(.seconds(1), clock: clock))
        router.get("/slow") { _, _ -> String in
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Stands for a pool wait or a query the handler awaits.
                group.addTask {
                    do {
                        try await clock.sleep(for: .seconds(3600))
                    } catch is CancellationError {
                        childCancelled.fire()
                        throw CancellationError()
                    }
                }
                do {
                    try await group.waitForAll()
                } catch {
                    if Task.isCancelled { handlerCancelled.fire() }
                    throw error
                }
            }
            throw UnexpectedCompletion()
        }
        let client = InProcessTestClient(router: router, logger: quietLogger)
        async let response = client.execute(.get, "/slow")
        await clock.waitForSleepers(2)
        clock.advance(by: .seconds(1))
        #expect(try await response.status == .serviceUnavailable)
        // The 503 goes out only after the handler has returned.
        #expect(handlerCancelled.hasFired)
        #expect(childCancelled.hasFired)
    }

    @Test func handlerThatIgnoresCancellationDelaysThe503AndItsResultIsDropped() async throws {
        let clock = ManualClock()
        let release = Signal()
        let router = Router()
        router.add(middleware: Timeout.manual(.seconds(1), clock: clock))
        router.get("/stubborn") { _, _ -> String in
            try? await clock.sleep(for: .seconds(3600))
            await release.wait()
            return "late result"
        }
        let client = InProcessTestClient(router: router, logger: quietLogger)
        async let response = client.execute(.get, "/stubborn")
        await clock.waitForSleepers(2)
        clock.advance(by: .seconds(1))
        release.fire()
        let answer = try await response
        #expect(answer.status == .serviceUnavailable)
        #expect(!answer.bodyString.contains("late result"))
    }

    @Test func handlerFinishingAtTheDeadlineInstantGetsExactlyOneAnswer() async throws {
        let clock = ManualClock()
        let router = Router()
        router.add(middleware: Timeout.manual(.seconds(1), clock: clock))
        router.get("/edge") { _, _ -> String in
            try await clock.sleep(for: .seconds(1))
            return "in time"
        }
        let client = InProcessTestClient(router: router, logger: quietLogger)
        var statuses: [HTTPResponse.Status: Int] = [:]
        for _ in 0..<200 {
            async let response = client.execute(.get, "/edge")
            await clock.waitForSleepers(2)
            clock.advance(by: .seconds(1))
            let answer = try await response
            statuses[answer.status, default: 0] += 1
            if answer.status == .ok {
                #expect(answer.bodyString == "in time")
            } else {
                #expect(answer.status == .serviceUnavailable)
            }
        }
        #expect(statuses.values.reduce(0, +) == 200)
    }

    @Test func errorsFromTheHandlerPassThrough() async throws {
        let clock = ManualClock()
        let router = Router()
        router.add(middleware: Timeout.manual(.seconds(1), clock: clock))
        router.get("/teapot") { _, _ -> String in throw HTTPError(.badRequest, message: "No tea") }
        let response = try await InProcessTestClient(router: router, logger: quietLogger).execute(.get, "/teapot")
        #expect(response.status == .badRequest)
        #expect(response.bodyString == #"{"error":{"status":400,"message":"No tea"}}"#)
    }

    @Test(arguments: [Duration.zero, .seconds(-5)])
    func zeroOrNegativeTimeoutExpiresAtOnce(timeout: Duration) async throws {
        let clock = ManualClock()
        let router = Router()
        router.add(middleware: Timeout.manual(timeout, clock: clock))
        router.get("/any") { _, _ -> String in
            try await clock.sleep(for: .seconds(3600))
            throw UnexpectedCompletion()
        }
        let response = try await InProcessTestClient(router: router, logger: quietLogger).execute(.get, "/any")
        #expect(response.status == .serviceUnavailable)
    }

    @Test func remainingTimeIsReadableFromTheHandlerAndItsChildTasksUntilTheRequestEnds() async throws {
        let clock = ManualClock()
        let served = Mutex<BasicRequestContext?>(nil)
        let router = Router()
        router.add(middleware: Timeout.manual(.seconds(10), clock: clock))
        router.get("/remaining") { _, context -> String in
            served.withLock { $0 = context }
            try await clock.sleep(for: .seconds(3))
            async let fromChild = context.deadline?.remaining
            let deadline = context.deadline
            return "\(deadline?.timeout ?? .zero) \(deadline?.remaining ?? .zero) \(await fromChild ?? .zero)"
        }
        let client = InProcessTestClient(router: router, logger: quietLogger)
        async let response = client.execute(.get, "/remaining")
        await clock.waitForSleepers(2)
        clock.advance(by: .seconds(3))
        #expect(try await response.bodyString == "10.0 seconds 7.0 seconds 7.0 seconds")
        let context = try #require(served.withLock { $0 })
        #expect(context.deadline == nil)
    }

    @Test func timeoutIsCountedAndLoggedWithRequestIDAndRoute() async throws {
        let clock = ManualClock()
        let metrics = TestMetrics()
        let logs = CapturingLogHandler.Records()
        let router = Router()
        router.add(middleware: Timeout.manual(.seconds(1), clock: clock, metrics: metrics))
        router.get("/reports/:id") { _, _ -> String in
            try await clock.sleep(for: .seconds(3600))
            throw UnexpectedCompletion()
        }
        let client = InProcessTestClient(router: router, logger: logs.logger())
        async let response = client.execute(.get, "/reports/7", headers: [HTTPField.Name("X-Request-Id")!: "req-42"], body: nil)
        await clock.waitForSleepers(2)
        clock.advance(by: .seconds(1))
        #expect(try await response.status == .serviceUnavailable)

        let counter = try metrics.expectCounter("jaan_http_request_timeouts_total", [("route", "/reports/:id"), ("phase", "response")])
        #expect(counter.totalValue == 1)
        let line = try #require(logs.all.first { $0.message == "Request timed out" })
        #expect(line.level == .info)
        #expect(line.metadata["request_id"] == "req-42")
        #expect(line.metadata["route"] == "/reports/:id")
        #expect(line.metadata["phase"] == "response")
    }
}
