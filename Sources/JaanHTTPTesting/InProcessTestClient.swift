public import HTTPTypes
public import JaanHTTP
public import Logging
public import NIOCore

/// Runs requests through a responder (router and middleware) in this process, without sockets, the way the server
/// would: errors become their responses, HEAD loses its body, streamed bodies are collected.
public struct InProcessTestClient<Responder: HTTPResponder>: TestClient {
    private let responder: Responder
    private let logger: Logger

    /// Creates a client for `responder`.
    public init(responder: Responder, logger: Logger = Logger(label: "jaan.test")) {
        self.responder = responder
        self.logger = logger
    }

    /// Creates a client for `router`'s routes.
    public init<Context>(router: Router<Context>, logger: Logger = Logger(label: "jaan.test")) where Responder == RouterResponder<Context> {
        self.init(responder: router.buildResponder(), logger: logger)
    }

    /// Sends a request and waits for the whole response.
    ///
    /// The exchange runs in a task of its own, which the context's ``RequestCancellation`` cancels, as the server's
    /// connection task would be.
    public func execute(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        let cancelled = CancellationSignal()
        cancelled.begin(request: 1)
        defer { cancelled.end() }
        return try await withThrowingTaskGroup(of: TestResponse?.self) { group in
            group.addTask {
                try await self.exchange(method, path, headers: headers, body: body, cancellation: RequestCancellation(signal: cancelled, request: 1))
            }
            group.addTask {
                await cancelled.wait()
                return nil
            }
            while let result = try await group.next() {
                // Either the exchange is done, which stops the waiter, or the request was cancelled.
                group.cancelAll()
                if let response = result { return response }
            }
            preconditionFailure("The exchange ended without a response or an error")
        }
    }

    private func exchange(
        _ method: HTTPRequest.Method,
        _ path: String,
        headers: HTTPFields,
        body: ByteBuffer?,
        cancellation: RequestCancellation
    ) async throws -> TestResponse {
        let requestID = headers[HTTPField.Name("X-Request-Id")!] ?? "test-\(UInt32.random(in: .min ... .max))"
        let head = HTTPRequest(method: method, scheme: nil, authority: "localhost", path: path, headerFields: headers)
        let request = Request(head: head, body: RequestBody(buffer: body ?? ByteBuffer()))
        let source = RequestContextSource(requestID: requestID, logger: self.logger, cancellation: cancellation)
        let context = Responder.Context(source: source)
        var response: Response
        do {
            response = try await self.responder.respond(to: request, context: context)
        } catch {
            response = ErrorBody.response(for: error, logger: context.logger, allocator: ByteBufferAllocator())
        }
        response.headers[HTTPField.Name("X-Request-Id")!] = requestID
        let bodyless = method == .head || [204, 304].contains(response.status.code)
        if let buffer = response.body.buffer {
            return TestResponse(head: response.head, body: bodyless ? ByteBuffer() : buffer)
        }
        let collector = CollectingWriter.Storage()
        var writer: any ResponseBodyWriter = CollectingWriter(storage: collector)
        try await response.body.write(to: &writer)
        return TestResponse(head: response.head, body: bodyless ? ByteBuffer() : collector.buffer)
    }
}

/// Collects a streamed body into one buffer.
struct CollectingWriter: ResponseBodyWriter {
    final class Storage {
        var buffer = ByteBuffer()
    }

    let storage: Storage

    /// Appends `buffer`, unless the request's task is cancelled: a streamed body then stops, as on the server.
    mutating func write(_ buffer: ByteBuffer) async throws {
        try Task.checkCancellation()
        var buffer = buffer
        self.storage.buffer.writeBuffer(&buffer)
    }

    mutating func flush() async throws {}

    mutating func finish() async throws {}
}
