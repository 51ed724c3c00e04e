import JaanHTTP

extension ResponseBody {
    /// This streamed body, sent under a deadline: its writing closure runs in a child task, which is cancelled when
    /// the deadline passes; the body then fails, and the server closes the connection, since the status has gone out.
    func bounded<Timer: DeadlineTimer>(
        by deadline: Timer.Instant,
        timer: Timer,
        request: TimeoutReporter.Request,
        reporter: TimeoutReporter
    ) -> ResponseBody {
        ResponseBody(contentLength: self.contentLength) { writer in
            let relay = BodyRelay(timeout: request.timeout, deadline: deadline, timer: timer)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    var producer: any ResponseBodyWriter = RelayWriter(relay: relay)
                    do {
                        try await RequestDeadline.with(relay) {
                            try await self.write(to: &producer)
                        }
                    } catch {
                        relay.fail(error)
                    }
                }
                relay.timerStarted(timer.start(at: deadline, handler: relay, in: &group))
                defer {
                    relay.close()
                    group.cancelAll()
                }
                while true {
                    switch await relay.next() {
                    case .write(let buffer):
                        try await writer.write(buffer)
                        relay.acknowledge()
                    case .flush:
                        try await writer.flush()
                        relay.acknowledge()
                    case .end:
                        relay.acknowledge()
                        return
                    case .failed(let error):
                        throw error
                    case .expired:
                        reporter.report(request, phase: .body)
                        throw DeadlineExceeded()
                    }
                }
            }
        }
    }
}

/// Ends a streamed body whose request deadline passed; the server then closes the connection.
struct DeadlineExceeded: Error, CustomStringConvertible {
    var description: String { "The request deadline passed while the response body was being sent" }
}
