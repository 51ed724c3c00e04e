import Dispatch
import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import Testing

@Suite struct TaskExecutorMiddlewareTests {
    /// A task executor that runs every job on one serial queue, which a job can recognise.
    final class QueueExecutor: TaskExecutor {
        private static let marker = DispatchSpecificKey<Bool>()
        private let queue = DispatchQueue(label: "jaan.test.executor")

        init() { self.queue.setSpecific(key: Self.marker, value: true) }

        /// Whether the caller runs on an executor of this kind.
        static var isCurrent: Bool { DispatchQueue.getSpecific(key: Self.marker) == true }

        func enqueue(_ job: consuming ExecutorJob) {
            let job = UnownedJob(job)
            self.queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }

    /// Reports, in a header, whether the code after `next` returns runs on a ``QueueExecutor``.
    struct WhereAfter: Middleware {
        nonisolated(nonsending) func handle(
            _ request: Request,
            context: BasicRequestContext,
            next: (Request, BasicRequestContext) async throws -> Response
        ) async throws -> Response {
            var response = try await next(request, context)
            response.headers[HTTPField.Name("X-After-On-Executor")!] = "\(QueueExecutor.isCurrent)"
            return response
        }
    }

    static func router(_ executor: QueueExecutor) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: WhereAfter())
        router.get("/elsewhere") { _, _ in "\(QueueExecutor.isCurrent)" }
        let group = router.group("/on").add(middleware: TaskExecutorMiddleware(executor))
        group.get("/executor") { _, _ in
            let before = QueueExecutor.isCurrent
            try await Task.sleep(for: .milliseconds(1))
            return "\(before) \(QueueExecutor.isCurrent)"
        }
        group.get("/fail") { _, _ -> String in throw HTTPError(.conflict, message: "taken") }
        return router
    }

    /// The route starts where its caller runs, with no hop, resumes on the executor after its first suspension, and
    /// the middleware before it runs off the executor again.
    @Test(arguments: TestMode.allCases)
    func routesBehindItResumeOnTheExecutor(mode: TestMode) async throws {
        let executor = QueueExecutor()
        try await withTestClient(router: Self.router(executor), mode: mode, configuration: testConfiguration()) { client async throws in
            let behind = try await client.execute(.get, "/on/executor")
            #expect(behind.status == .ok)
            #expect(behind.bodyString == "false true")
            #expect(behind.headers[HTTPField.Name("X-After-On-Executor")!] == "false")
            #expect(try await client.execute(.get, "/elsewhere").bodyString == "false")
        }
    }

    @Test(arguments: TestMode.allCases)
    func errorsThrownBehindItBecomeResponses(mode: TestMode) async throws {
        try await withTestClient(router: Self.router(QueueExecutor()), mode: mode, configuration: testConfiguration()) { client async throws in
            let response = try await client.execute(.get, "/on/fail")
            #expect(response.status == .conflict)
            #expect(response.bodyString.contains("taken"))
        }
    }
}
