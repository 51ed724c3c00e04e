import NIOCore

extension HTTPChannelHandler {
    /// Hands a part to the connection's task, or keeps it until the task asks.
    func deliver(_ part: InboundHTTPPart) {
        if let waiter = self.partWaiter {
            self.partWaiter = nil
            waiter.resume(returning: part)
        } else {
            self.buffered.append(part)
        }
    }

    /// The next part if one is waiting.
    func takeBufferedPart() -> InboundHTTPPart? {
        guard let part = self.buffered.popFirst() else { return nil }
        self.resumeReadingIfHeldBack()
        return part
    }

    /// Resumes `waiter` with the next part, now or when it arrives; with `nil` once the connection has closed.
    func waitForPart(_ waiter: UnsafeContinuation<InboundHTTPPart?, Never>) {
        if let part = self.takeBufferedPart() {
            waiter.resume(returning: part)
        } else if self.isClosed {
            waiter.resume(returning: nil)
        } else {
            precondition(self.partWaiter == nil, "One reader at a time")
            self.partWaiter = waiter
            self.resumeReadingIfHeldBack()
        }
    }

    private func resumeReadingIfHeldBack() {
        guard self.readHeldBack, self.buffered.count <= Self.bufferedPartsLimit / 2, let context else { return }
        self.readHeldBack = false
        self.lastActivity = .now()
        context.read()
    }
}

/// The connection's side of an ``HTTPChannelHandler``: takes request parts and writes response parts.
///
/// The connection's task runs on the channel's event loop (see ``EventLoopTaskExecutor``), so these calls reach the
/// handler directly; code that iterates a request body on another executor hops to the loop.
struct HTTPConnectionChannel: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<HTTPChannelHandler>

    init(channel: any Channel, handler: HTTPChannelHandler) {
        self.channel = channel
        self.handler = NIOLoopBound(handler, eventLoop: channel.eventLoop)
    }

    /// The next inbound part, or `nil` once the connection has closed.
    nonisolated(nonsending) func next() async -> InboundHTTPPart? {
        let eventLoop = self.channel.eventLoop
        if eventLoop.inEventLoop, let part = self.handler.value.takeBufferedPart() {
            return part
        }
        let handler = self.handler
        return await withUnsafeContinuation { continuation in
            if eventLoop.inEventLoop {
                handler.value.waitForPart(continuation)
            } else {
                eventLoop.execute { handler.value.waitForPart(continuation) }
            }
        }
    }

    /// Writes a response part, waiting while the client is not reading fast enough.
    nonisolated(nonsending) func write(_ part: OutboundHTTPPart) async throws {
        let eventLoop = self.channel.eventLoop
        let handler = self.handler
        let writable: Bool
        if eventLoop.inEventLoop {
            writable = handler.value.send(part)
        } else {
            writable = try await eventLoop.submit { handler.value.send(part) }.get()
        }
        guard !writable else { return }
        try await withCheckedThrowingContinuation { continuation in
            if eventLoop.inEventLoop {
                handler.value.waitUntilWritable(continuation)
            } else {
                eventLoop.execute { handler.value.waitUntilWritable(continuation) }
            }
        }
    }

    /// Closes the connection once what was written has gone out.
    func closeAfterWrites() {
        let channel = self.channel
        channel.writeAndFlush(ByteBuffer()).whenComplete { _ in channel.close(promise: nil) }
    }
}
