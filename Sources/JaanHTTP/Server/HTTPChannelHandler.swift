import HTTPTypes
import NIOCore
import NIOHTTP1

/// Sits between NIO's HTTP/1 decoder and a connection's task: turns parsed parts into ``InboundHTTPPart``s,
/// writes responses, and enforces the connection's limits and timeouts.
///
/// - A request whose `Content-Length` passes the body limit is rejected (413) before its body is read; a chunked
///   body is cut off when it passes the limit.
/// - A head larger than the header limit is rejected (431); malformed HTTP is rejected (400).
/// - A head must arrive in full within the header timeout of its first byte (else 408); a connection with nothing
///   in flight, or a body upload that stalls, is closed after the idle timeout.
/// - When asked to quiesce (graceful shutdown) it closes after the responses in flight; an idle keep-alive
///   connection stays open for the shutdown grace, so a request already on its way is answered (with
///   `Connection: close`) rather than cut off.
final class HTTPChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = InboundHTTPPart
    typealias OutboundIn = OutboundHTTPPart
    typealias OutboundOut = ByteBuffer

    struct Limits {
        var bodyLimit: Int
        var headerLimit: Int
        var headerTimeout: TimeAmount
        var idleTimeout: TimeAmount
        var shutdownGrace: TimeAmount
    }

    private enum Reading {
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
    private var reading = Reading.awaitingHead
    private var pending: Pending?
    private var headStartedAt: NIODeadline?
    private var headBytes = 0
    private var bodyBytes = 0
    private var lastActivity = NIODeadline.now()
    private var inFlight = 0
    /// When graceful shutdown asked this connection to finish, if it has.
    private var quiescingSince: NIODeadline?
    private var streamingFraming = ResponseFrame.BodyFraming.none
    private var closeAfterStream = false
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    private var dateCache = HTTPDateCache()
    private var context: ChannelHandlerContext?

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
        context.fireChannelInactive()
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
                context.fireChannelRead(self.wrapInboundOut(.end))
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
        // The consumer asks for more: any wait for the client starts now.
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
        context.fireChannelRead(self.wrapInboundOut(.body(chunk)))
    }

    private func forwardRequest(_ pending: Pending, isComplete: Bool, context: ChannelHandlerContext) {
        self.inFlight += 1
        context.fireChannelRead(self.wrapInboundOut(.request(pending.head, pending.frame, body: pending.body, isComplete: isComplete)))
    }

    /// Refuses the current request: the connection's task answers with `status` and closes. A request whose head
    /// was already handed over sees the rejection as an error from its body; otherwise it takes a request's place.
    private func reject(_ status: HTTPResponse.Status) {
        guard let context = self.context, self.reading != .rejected else { return }
        if self.reading == .awaitingHead || self.pending != nil {
            self.inFlight += 1
        }
        self.reading = .rejected
        self.pending = nil
        self.headStartedAt = nil
        context.fireChannelRead(self.wrapInboundOut(.rejected(status)))
        context.fireChannelReadComplete()
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

    // MARK: Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.unwrapOutboundIn(data) {
        case .complete(let head, var frame, let body):
            let closing = self.beginResponse(&frame)
            var buffer = context.channel.allocator.buffer(capacity: 256 + min(body?.readableBytes ?? 0, 4096))
            ResponseHeadSerializer.write(head, frame: frame, date: self.dateCache.current(), into: &buffer)
            if var body, frame.framing != .none, body.readableBytes > 0 {
                if body.readableBytes <= 4096 {
                    buffer.writeBuffer(&body)
                } else {
                    context.write(self.wrapOutboundOut(buffer), promise: nil)
                    buffer = body
                }
            }
            self.endResponse(buffer, closing: closing, context: context, promise: promise)
        case .head(let head, var frame):
            self.closeAfterStream = self.beginResponse(&frame)
            self.streamingFraming = frame.framing
            var buffer = context.channel.allocator.buffer(capacity: 256)
            ResponseHeadSerializer.write(head, frame: frame, date: self.dateCache.current(), into: &buffer)
            context.write(self.wrapOutboundOut(buffer), promise: promise)
        case .body(let chunk):
            switch self.streamingFraming {
            case .none:
                promise?.succeed()
            case .contentLength, .closeDelimited:
                context.write(self.wrapOutboundOut(chunk), promise: promise)
            case .chunked:
                guard chunk.readableBytes > 0 else {
                    promise?.succeed()
                    return
                }
                var header = context.channel.allocator.buffer(capacity: 10)
                ResponseHeadSerializer.writeChunkHeader(size: chunk.readableBytes, into: &header)
                context.write(self.wrapOutboundOut(header), promise: nil)
                context.write(self.wrapOutboundOut(chunk), promise: nil)
                context.write(self.wrapOutboundOut(ByteBuffer(staticString: "\r\n")), promise: promise)
            }
        case .end:
            let trailer = self.streamingFraming == .chunked ? ByteBuffer(staticString: "0\r\n\r\n") : ByteBuffer()
            let closing = self.closeAfterStream || self.streamingFraming == .closeDelimited
            self.streamingFraming = .none
            self.endResponse(trailer, closing: closing, context: context, promise: promise)
        }
    }

    /// Decides whether the connection closes after this response, and says so in its head.
    private func beginResponse(_ frame: inout ResponseFrame) -> Bool {
        if self.quiescingSince != nil, self.inFlight <= 1 {
            frame.keepAlive = false
        }
        return !frame.keepAlive
    }

    private func endResponse(_ buffer: ByteBuffer, closing: Bool, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        self.inFlight -= 1
        self.lastActivity = .now()
        guard closing else {
            context.write(self.wrapOutboundOut(buffer), promise: promise)
            self.rearmTimer()
            return
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(self.wrapOutboundOut(buffer), promise: written)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        written.futureResult.whenComplete { result in
            promise?.completeWith(result)
            loopBound.value.close(promise: nil)
        }
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

    private func rearmTimer() {
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
