import NIOCore

extension HTTPChannelHandler {
    /// Writes a response part and flushes where the client should see it: after a whole response, a body chunk, an
    /// end. Returns whether the channel can take more now.
    func send(_ part: OutboundHTTPPart) -> Bool {
        guard let context, !self.isClosed else { return false }
        switch part {
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
            self.endResponse(buffer, closing: closing, context: context)
        case .head(let head, var frame):
            self.closeAfterStream = self.beginResponse(&frame)
            self.streamingFraming = frame.framing
            var buffer = context.channel.allocator.buffer(capacity: 256)
            ResponseHeadSerializer.write(head, frame: frame, date: self.dateCache.current(), into: &buffer)
            context.write(self.wrapOutboundOut(buffer), promise: nil)
        case .body(let chunk):
            switch self.streamingFraming {
            case .none:
                break
            case .contentLength, .closeDelimited:
                context.writeAndFlush(self.wrapOutboundOut(chunk), promise: nil)
            case .chunked:
                guard chunk.readableBytes > 0 else { break }
                var header = context.channel.allocator.buffer(capacity: 10)
                ResponseHeadSerializer.writeChunkHeader(size: chunk.readableBytes, into: &header)
                context.write(self.wrapOutboundOut(header), promise: nil)
                context.write(self.wrapOutboundOut(chunk), promise: nil)
                context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(staticString: "\r\n")), promise: nil)
            }
        case .end:
            let trailer = self.streamingFraming == .chunked ? ByteBuffer(staticString: "0\r\n\r\n") : ByteBuffer()
            let closing = self.closeAfterStream || self.streamingFraming == .closeDelimited
            self.streamingFraming = .none
            self.endResponse(trailer, closing: closing, context: context)
        }
        return context.channel.isWritable
    }

    /// Resumes `waiter` once the channel is writable, or with an error once it is closed.
    func waitUntilWritable(_ waiter: CheckedContinuation<Void, any Error>) {
        if self.isClosed {
            waiter.resume(throwing: ChannelError.ioOnClosedChannel)
        } else if self.context?.channel.isWritable ?? false {
            waiter.resume()
        } else {
            self.writabilityWaiters.append(waiter)
        }
    }

    /// Decides whether the connection closes after this response, and says so in its head.
    private func beginResponse(_ frame: inout ResponseFrame) -> Bool {
        if self.quiescingSince != nil, self.inFlight <= 1 {
            frame.keepAlive = false
        }
        return !frame.keepAlive
    }

    private func endResponse(_ buffer: ByteBuffer, closing: Bool, context: ChannelHandlerContext) {
        self.inFlight -= 1
        self.lastActivity = .now()
        guard closing else {
            context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
            self.rearmTimer()
            return
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(self.wrapOutboundOut(buffer), promise: written)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        written.futureResult.whenComplete { _ in
            loopBound.value.close(promise: nil)
        }
    }
}
