import HTTPTypes
import NIOCore
import NIOHTTP1

/// Sits between NIO's HTTP/1 decoder and a connection's task: turns parsed parts into ``InboundHTTPPart``s that the
/// task takes (``HTTPConnectionChannel``), writes the task's responses, and enforces the connection's limits and
/// timeouts. The task runs on this handler's event loop, so it calls the handler directly, without a queue between.
///
/// - A request whose `Content-Length` passes the body limit is rejected (413) before its body is read; a chunked
///   body is cut off when it passes the limit.
/// - A head larger than the header limit is rejected (431); malformed HTTP is rejected (400).
/// - A head must arrive in full within the header timeout of its first byte (else 408); a connection with nothing
///   in flight, or a body upload that stalls, is closed after the idle timeout.
/// - When asked to quiesce (graceful shutdown) it closes after the responses in flight; an idle keep-alive
///   connection stays open for the shutdown grace, so a request already on its way is answered (with
///   `Connection: close`) rather than cut off.
final class HTTPChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = ByteBuffer

    struct Limits {
        var bodyLimit: Int
        var headerLimit: Int
        var headerTimeout: TimeAmount
        var idleTimeout: TimeAmount
        var shutdownGrace: TimeAmount
    }

    enum Reading {
        case awaitingHead
        case readingBody
        /// After a rejection nothing more is read.
        case rejected
    }

    /// A request head held back until its body is known to be complete or not.
    private struct Pending {
        var head: HTTPRequest
        var frame: RequestFrame
        var body: ByteBuffer?
    }

    /// Bodies up to this size that arrive with their head are handed over in one piece.
    private static let coalescedBodyLimit = 16 * 1024

    private let limits: Limits
    var reading = Reading.awaitingHead
    private var pending: Pending?
    private var headStartedAt: NIODeadline?
    private var headBytes = 0
    private var bodyBytes = 0
    var lastActivity = NIODeadline.now()
    var inFlight = 0
    /// When graceful shutdown asked this connection to finish, if it has.
    var quiescingSince: NIODeadline?
    var streamingFraming = ResponseFrame.BodyFraming.none
    var closeAfterStream = false
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    var dateCache = HTTPDateCache()
    var context: ChannelHandlerContext?

    /// Parts the connection's task has not taken yet, and the task when it waits for one.
    ///
    /// An unsafe continuation, since the task waits once per request and a checked one allocates its checker each
    /// time; ``waitForPart(_:)`` and the paths that resume it are the only users, and resume it once (the tests
    /// ran them with a checked continuation).
    var buffered = CircularBuffer<InboundHTTPPart>(initialCapacity: 4)
    var partWaiter: UnsafeContinuation<InboundHTTPPart?, Never>?
    /// Tasks waiting for the channel to become writable again.
    var writabilityWaiters: [CheckedContinuation<Void, any Error>] = []
    /// Whether a read was held back because the task is behind.
    var readHeldBack = false
    var isClosed = false
    /// Above this many untaken parts the handler stops reading from the socket, until the task is down to half.
    static let bufferedPartsLimit = 16

    init(limits: Limits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        self.lastActivity = .now()
        self.rearmTimer()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
        self.isClosed = true
        if let waiter = self.partWaiter {
            self.partWaiter = nil
            waiter.resume(returning: self.buffered.popFirst())
        }
        let writers = self.writabilityWaiters
        self.writabilityWaiters = []
        for writer in writers { writer.resume(throwing: ChannelError.ioOnClosedChannel) }
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            let writers = self.writabilityWaiters
            self.writabilityWaiters = []
            for writer in writers { writer.resume() }
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: Raw bytes, reported by RawBytesObserver

    /// Whether raw bytes should still reach the decoder.
    var acceptsBytes: Bool { self.reading != .rejected }

    /// Called before raw bytes reach the decoder.
    func bytesWillArrive(_ count: Int) {
        self.lastActivity = .now()
        if self.reading == .awaitingHead {
            if self.headStartedAt == nil { self.headStartedAt = self.lastActivity }
            self.headBytes += count
        }
    }

    /// Called after the decoder has seen the bytes: a head still incomplete past the limit is refused.
    func bytesDidArrive() {
        if self.reading == .awaitingHead, self.headBytes > self.limits.headerLimit {
            self.reject(.requestHeaderFieldsTooLarge)
        }
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard self.reading != .rejected else { return }
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.receivedHead(head, context: context)
        case .body(let chunk):
            self.receivedBody(chunk, context: context)
        case .end:
            self.reading = .awaitingHead
            if let pending = self.pending {
                self.pending = nil
                self.forwardRequest(pending, isComplete: true, context: context)
            } else {
                self.deliver(.end)
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if let pending = self.pending {
            self.pending = nil
            self.forwardRequest(pending, isComplete: false, context: context)
        }
        context.fireChannelReadComplete()
        self.rearmTimer()
    }

    func read(context: ChannelHandlerContext) {
        guard self.buffered.count < Self.bufferedPartsLimit else {
            self.readHeldBack = true
            return
        }
        // The task wants more: any wait for the client starts now.
        self.lastActivity = .now()
        context.read()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        guard self.reading != .rejected else { return }
        self.reject(parserError == .headerOverflow ? .requestHeaderFieldsTooLarge : .badRequest)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        self.quiescingSince = .now()
        self.rearmTimer()
    }

    private func receivedHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        self.headStartedAt = nil
        self.headBytes = 0
        self.bodyBytes = 0
        guard let request = Self.makeRequest(head) else {
            self.reject(.badRequest)
            return
        }
        if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > self.limits.bodyLimit {
            self.reject(.contentTooLarge)
            return
        }
        self.reading = .readingBody
        if self.inFlight == 0, head.version.minor >= 1,
            head.headers.first(name: "expect")?.lowercased() == "100-continue"
        {
            context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(staticString: "HTTP/1.1 100 Continue\r\n\r\n")), promise: nil)
        }
        self.pending = Pending(head: request, frame: RequestFrame(version: head.version, keepAlive: head.isKeepAlive), body: nil)
    }

    private func receivedBody(_ chunk: ByteBuffer, context: ChannelHandlerContext) {
        self.bodyBytes += chunk.readableBytes
        guard self.bodyBytes <= self.limits.bodyLimit else {
            self.reject(.contentTooLarge)
            return
        }
        if var pending = self.pending {
            if self.bodyBytes <= Self.coalescedBodyLimit {
                if pending.body == nil {
                    pending.body = chunk
                } else {
                    var chunk = chunk
                    pending.body!.writeBuffer(&chunk)
                }
                self.pending = pending
                return
            }
            self.pending = nil
            self.forwardRequest(pending, isComplete: false, context: context)
        }
        self.deliver(.body(chunk))
    }

    private func forwardRequest(_ pending: Pending, isComplete: Bool, context: ChannelHandlerContext) {
        self.inFlight += 1
        self.deliver(.request(pending.head, pending.frame, body: pending.body, isComplete: isComplete))
    }

    /// Refuses the current request: the connection's task answers with `status` and closes. A request whose head
    /// was already handed over sees the rejection as an error from its body; otherwise it takes a request's place.
    func reject(_ status: HTTPResponse.Status) {
        guard self.context != nil, self.reading != .rejected else { return }
        if self.reading == .awaitingHead || self.pending != nil {
            self.inFlight += 1
        }
        self.reading = .rejected
        self.pending = nil
        self.headStartedAt = nil
        self.deliver(.rejected(status))
    }

    private static func makeRequest(_ head: HTTPRequestHead) -> HTTPRequest? {
        guard let method = HTTPRequest.Method(head.method.rawValue) else { return nil }
        var fields = HTTPFields()
        fields.reserveCapacity(head.headers.count)
        var authority: String?
        for (name, value) in head.headers {
            guard let fieldName = HTTPField.Name(name) else { return nil }
            if fieldName.canonicalName == "host" {
                authority = value
                continue
            }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        return HTTPRequest(method: method, scheme: nil, authority: authority, path: head.uri, headerFields: fields)
    }

    // MARK: Timeouts

    /// When the connection should next be checked, given what it is waiting for.
    private var deadline: NIODeadline? {
        switch self.reading {
        case .rejected:
            return nil
        case .readingBody:
            return self.lastActivity + self.limits.idleTimeout
        case .awaitingHead:
            if let headStartedAt { return headStartedAt + self.limits.headerTimeout }
            guard self.inFlight == 0 else { return nil }
            let idleDeadline = self.lastActivity + self.limits.idleTimeout
            guard let quiescingSince else { return idleDeadline }
            return min(idleDeadline, quiescingSince + self.limits.shutdownGrace)
        }
    }

    func rearmTimer() {
        guard let context, let deadline else { return }
        if let armed = self.timerDeadline, armed <= deadline { return }
        self.timer?.cancel()
        self.timerDeadline = deadline
        self.timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: deadline) {
            self.timerFired()
        }
    }

    private func timerFired() {
        self.timer = nil
        self.timerDeadline = nil
        guard let context, let deadline else { return }
        guard deadline <= .now() else {
            self.rearmTimer()
            return
        }
        if self.reading == .readingBody || self.headStartedAt != nil {
            self.reject(.requestTimeout)
        } else {
            context.close(promise: nil)
        }
    }
}

/// Reports raw bytes to the ``HTTPChannelHandler`` before and after the decoder sees them, so a head that arrives
/// too slowly or grows too large is caught, and drops them once the connection has rejected a request.
final class RawBytesObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let owner: HTTPChannelHandler

    init(owner: HTTPChannelHandler) {
        self.owner = owner
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard self.owner.acceptsBytes else { return }
        self.owner.bytesWillArrive(self.unwrapInboundIn(data).readableBytes)
        context.fireChannelRead(data)
        self.owner.bytesDidArrive()
    }
}
