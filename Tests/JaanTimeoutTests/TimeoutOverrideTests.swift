import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import JaanTimeout
import NIOCore
import Testing

/// Deadlines set on groups and routes replace the router's: shorter, longer, or none.
@Suite(.timeLimit(.minutes(1))) struct TimeoutOverrideTests {
    @Test func routeCanShortenTheApplicationDeadline() async throws {
        let clock = ManualClock()
        let router = Router()
        router.add(middleware: Timeout.manual(.seconds(60), clock: clock))
        router.group().add(middleware: Timeout.manual(.seconds(1), clock: clock)).get("/short") { _, _ -> String in
            try await clock.sleep(for: .seconds(3600))
            throw UnexpectedCompletion()
        }
        let client = InProcessTestClient(router: router, logger: quietLogger)
        async let response = client.execute(.get, "/short")
        await clock.waitForSleepers(3)  // the router's deadline, the route's and the handler
        clock.advance(by: .seconds(1))
        #expect(try await response.status == .serviceUnavailable)
    }

    @Test func groupDeadlineIsTheOneHandlersSee() async throws {
        let clock = ManualClock()
        let router = Router()
        router.add(middleware: Timeout.manual(.seconds(60), clock: clock))
        let reports = router.group("/reports").add(middleware: Timeout.manual(.seconds(300), clock: clock))
        reports.get("/yearly") { _, context in "\(context.deadline?.timeout ?? .zero)" }
        router.group().add(middleware: Timeout.manual(.none, clock: clock)).get("/events") { _, context in
            "\(context.deadline.map { "\($0.timeout.map { "\($0)" } ?? "none") \($0.remaining.map { "\($0)" } ?? "none")" } ?? "unset")"
        }
        router.get("/plain") { _, context in "\(context.deadline?.timeout ?? .zero)" }
        let client = InProcessTestClient(router: router, logger: quietLogger)
        #expect(try await client.execute(.get, "/reports/yearly").bodyString == "300.0 seconds")
        #expect(try await client.execute(.get, "/events").bodyString == "none none")
        #expect(try await client.execute(.get, "/plain").bodyString == "60.0 seconds")
    }

    /// The router's deadline here is 1 s: long enough that a loaded machine still reaches the route's own
    /// middleware before it, short enough that a handler outliving it proves the route's deadline replaced it.
    @Test func routeCanLengthenTheApplicationDeadline() async throws {
        let router = Router()
        router.add(middleware: Timeout(.seconds(1)))
        router.group("/long").add(middleware: Timeout(.seconds(20))).get("/report") { _, _ -> String in
            try await Task.sleep(for: .milliseconds(1500))
            return "report"
        }
        try await withLiveServer(responder: router.buildResponder(), logger: quietLogger) { address in
            let response = try await LiveTestClient(address: address).execute(.get, "/long/report")
            #expect(response.status == .ok)
            #expect(response.bodyString == "report")
        }
    }

    /// As above, a 1 s router deadline that the exempt route's handler outlives.
    @Test func exemptRouteIsNotBoundByTheApplicationDeadline() async throws {
        let router = Router()
        router.add(middleware: Timeout(.seconds(1)))
        router.group().add(middleware: Timeout(.none)).get("/poll") { _, context -> String in
            try await Task.sleep(for: .milliseconds(1500))
            return context.deadline?.remaining == nil ? "exempt" : "bounded"
        }
        router.get("/bounded") { _, _ -> String in
            try await Task.sleep(for: .seconds(30))
            throw UnexpectedCompletion()
        }
        try await withLiveServer(responder: router.buildResponder(), logger: quietLogger) { address in
            let client = LiveTestClient(address: address)
            let poll = try await client.execute(.get, "/poll")
            #expect(poll.status == .ok)
            #expect(poll.bodyString == "exempt")
            #expect(try await client.execute(.get, "/bounded").status == .serviceUnavailable)
        }
    }

    @Test func outerDeadlineIsTheRequestsAgainOnceTheInnerMiddlewareReturns() async throws {
        let router = Router()
        router.add(middleware: Timeout(.seconds(60)))
        router.add(middleware: DeadlineAfterward())
        router.group("/reports").add(middleware: Timeout(.seconds(300))).get("/yearly") { _, context in
            "\(context.deadline?.timeout ?? .zero)"
        }
        let response = try await InProcessTestClient(router: router, logger: quietLogger).execute(.get, "/reports/yearly")
        #expect(response.bodyString == "300.0 seconds")
        #expect(response.headers[DeadlineAfterward<BasicRequestContext>.header] == "60.0 seconds")
    }

    @Test func deadlineRunsAgainWhenTheChainRunsTwiceInOneRequest() async throws {
        let router = Router()
        router.add(middleware: RunTwice())
        router.add(middleware: Timeout(.seconds(60)))
        router.get("/twice") { _, context in "\(context.deadline?.timeout ?? .zero)" }
        let response = try await InProcessTestClient(router: router, logger: quietLogger).execute(.get, "/twice")
        #expect(response.status == .ok)
        #expect(response.bodyString == "60.0 seconds")
    }
}

/// Reports, in a header, the request's deadline once the rest of the chain has returned.
private struct DeadlineAfterward<Context: RequestContext>: Middleware {
    static var header: HTTPField.Name { HTTPField.Name("X-Deadline-Afterward")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[Self.header] = "\(context.deadline?.timeout ?? .zero)"
        return response
    }
}

/// Runs the rest of the chain twice, as a retry would, and answers with the second response.
private struct RunTwice<Context: RequestContext>: Middleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        _ = try await next(request, context)
        return try await next(request, context)
    }
}
