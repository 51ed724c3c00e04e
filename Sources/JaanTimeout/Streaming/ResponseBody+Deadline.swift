import JaanHTTP

extension ResponseBody {
    /// This streamed body, sent under the request's deadline: when the deadline passes while it is being written,
    /// the task writing it is cancelled, the body fails, and the server closes the connection, since the status has
    /// gone out already.
    func bounded(
        by deadline: Int64,
        timer: any DeadlineTimer,
        cancellation: RequestCancellation,
        request: TimeoutReporter.Request,
        reporter: TimeoutReporter
    ) -> ResponseBody {
        ResponseBody(contentLength: self.contentLength) { writer in
            let race = HandlerRace(timeout: request.timeout, deadline: deadline, timer: timer, cancellation: cancellation)
            // The request ends with its body, and with it the deadline kept for it: nothing is restored.
            _ = cancellation.exchangeDeadline(race)
            let watch = race.start()
            var failure: (any Error)?
            do {
                try await self.writeContent(to: &writer)
            } catch {
                failure = error
            }
            if race.finish(stopping: watch) == .expired {
                reporter.report(request, phase: .body)
                throw DeadlineExceeded()
            }
            if let failure { throw failure }
        }
    }
}

/// Ends a streamed body whose request deadline passed; the server then closes the connection.
struct DeadlineExceeded: Error, CustomStringConvertible {
    var description: String { "The request deadline passed while the response body was being sent" }
}
