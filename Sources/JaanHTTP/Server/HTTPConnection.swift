import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1

/// Serves the requests of one connection in order: reads each request, runs the responder, writes the response,
/// and logs and counts it.
struct HTTPConnection<Responder: HTTPResponder>: Sendable {
    let responder: Responder
    let configuration: ServerConfiguration
    let logger: Logger
    let metrics: ServerMetrics

    /// Serves the connection's requests until it closes; each request's ``RequestCancellation`` fires `signal`,
    /// which cancels this task.
    nonisolated(nonsending) func run(_ connection: HTTPConnectionChannel, cancelling signal: CancellationSignal) async {
        let remoteAddress = connection.channel.remoteAddress
        let allocator = connection.channel.allocator
        let source = InboundSource(connection)
        var ids = RequestIDGenerator()
        var requestCount: UInt64 = 0
        do {
            while let part = await source.next() {
                switch part {
                case .request(let head, let frame, let body, let isComplete):
                    requestCount += 1
                    signal.begin(request: requestCount)
                    defer { signal.end() }
                    let serving = RequestServing(
                        head: head,
                        frame: frame,
                        requestID: ids.id(for: head),
                        remoteAddress: remoteAddress,
                        allocator: allocator,
                        cancellation: RequestCancellation(signal: signal, request: requestCount)
                    )
                    guard try await self.serve(serving, body: body, isComplete: isComplete, source: source, connection: connection) else {
                        connection.closeAfterWrites()
                        return
                    }
                case .rejected(let status):
                    let response = ErrorBody.response(status: status, message: status.reasonPhrase, allocator: allocator)
                    let frame = ResponseFrame(
                        version: .http1_1,
                        framing: .contentLength,
                        contentLength: response.body.contentLength,
                        keepAlive: false
                    )
                    try await connection.write(.complete(response.head, frame, body: response.body.buffer))
                    self.logger.debug("Request rejected", metadata: ["status": "\(status.code)"])
                    connection.closeAfterWrites()
                    return
                case .body, .end:
                    continue
                }
            }
        } catch {
            self.logger.debug("Connection ended", metadata: ["error": "\(error)"])
            connection.channel.close(promise: nil)
        }
    }

    /// What the connection knows of the request being served.
    private struct RequestServing {
        let head: HTTPRequest
        let frame: RequestFrame
        let requestID: String
        let remoteAddress: SocketAddress?
        let allocator: ByteBufferAllocator
        let cancellation: RequestCancellation
    }

    /// Serves one request; returns whether the connection stays open.
    nonisolated(nonsending) private func serve(
        _ served: RequestServing,
        body: ByteBuffer?,
        isComplete: Bool,
        source: InboundSource,
        connection: HTTPConnectionChannel
    ) async throws -> Bool {
        let start = ContinuousClock.now
        let requestBody: RequestBody
        if isComplete {
            requestBody = RequestBody(buffer: body ?? ByteBuffer())
        } else {
            source.beginStreamedBody()
            requestBody = RequestBody(stream: ConnectionBodyStream(source: source, first: body))
        }
        let context = Responder.Context(
            source: RequestContextSource(
                requestID: served.requestID,
                logger: self.logger,
                remoteAddress: served.remoteAddress,
                allocator: served.allocator,
                cancellation: served.cancellation
            )
        )
        var response: Response
        do {
            response = try await self.responder.respond(to: Request(head: served.head, body: requestBody), context: context)
        } catch {
            response = ErrorBody.response(for: error, logger: context.logger, allocator: served.allocator)
        }
        response.headers[.requestID] = served.requestID

        // A cancelled task cannot serve the next request: the response is the connection's last.
        var keepAlive = served.frame.keepAlive && !source.mustClose && !Task.isCancelled
        let bytes = try await self.write(response, for: served, keepAlive: &keepAlive, connection: connection)
        if !source.bodyFinished {
            await source.discardBody()
        }
        self.record(served, status: response.status, bytes: bytes, since: start)
        return keepAlive && !source.mustClose
    }

    /// Writes the response with the framing it needs; returns the body bytes written.
    nonisolated(nonsending) private func write(
        _ response: Response,
        for served: RequestServing,
        keepAlive: inout Bool,
        connection: HTTPConnectionChannel
    ) async throws -> Int {
        let status = response.status.code
        let bodyless = served.head.method == .head || status == 204 || status == 304 || (100..<200).contains(status)
        var frame = ResponseFrame(
            version: served.frame.version,
            framing: .contentLength,
            contentLength: (status == 204 || status == 304) ? nil : response.body.contentLength,
            keepAlive: keepAlive
        )
        if bodyless {
            frame.framing = .none
        } else if frame.contentLength == nil {
            if served.frame.version.minor >= 1 {
                frame.framing = .chunked
            } else {
                frame.framing = .closeDelimited
                frame.keepAlive = false
                keepAlive = false
            }
        }

        if let buffer = response.body.buffer {
            try await connection.write(.complete(response.head, frame, body: bodyless ? nil : buffer))
            return bodyless ? 0 : buffer.readableBytes
        }
        try await connection.write(.head(response.head, frame))
        guard !bodyless else {
            try await connection.write(.end)
            return 0
        }
        let counter = ByteCounter()
        var writer: any ResponseBodyWriter = ConnectionBodyWriter(connection: connection, counter: counter)
        do {
            try await response.body.write(to: &writer)
        } catch {
            // The head is sent: the status cannot change any more, so the only honest answer is to close.
            self.logger.error(
                "Response body failed",
                metadata: ["request_id": "\(served.requestID)", "error": "\(String(reflecting: error))"]
            )
            throw error
        }
        return counter.bytes
    }

    private func record(_ served: RequestServing, status: HTTPResponse.Status, bytes: Int, since start: ContinuousClock.Instant) {
        let duration = ContinuousClock.now - start
        self.metrics.record(method: served.head.method, status: status, duration: duration)
        guard self.configuration.accessLog, self.logger.logLevel <= .info else { return }
        self.logger.info(
            "Request served",
            metadata: [
                "request_id": "\(served.requestID)",
                "method": "\(served.head.method.rawValue)",
                "path": "\(served.head.path ?? "")",
                "status": "\(status.code)",
                "bytes": "\(bytes)",
                "duration_ms": "\(Double(duration.nanoseconds) / 1_000_000)",
            ]
        )
    }
}
