import NIOCore
import NIOHTTPTypes

/// Closes an HTTP/1 connection whose client is too slow or sends too much, so one bad client
/// cannot hold a connection slot (or the shutdown) forever:
/// - a whole request must arrive within `readTimeout` of the connect or of the previous
///   response's end (slowloris: headers or a body trickled byte by byte, or never finished);
/// - a response must be written within `writeTimeout` of its head (a client that never reads);
/// - a request body may not exceed `maxRequestBodyBytes`.
/// Hummingbird's own idle timer restarts on every body chunk, which a trickled body defeats.
final class RequestLimitHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: WebLimits
    private var deadline: Scheduled<Void>?
    private var bodyBytes = 0
    /// Requests read completely whose response has not ended yet.
    private var awaitingResponse = 0

    init(limits: WebLimits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context, limits.readTimeout) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context, limits.readTimeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            bodyBytes = 0
        case .body(let chunk):
            bodyBytes += chunk.readableBytes
            if bodyBytes > limits.maxRequestBodyBytes {
                // The response may already be out (our routes do not wait for bodies), so a
                // 413 could follow a 200 on the same connection; closing is the only clean answer.
                context.close(promise: nil)
                return
            }
        case .end:
            awaitingResponse += 1
            disarm()  // the server's turn now; the write deadline starts with the response
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head:
            arm(context, limits.writeTimeout)
        case .body:
            break
        case .end:
            awaitingResponse = max(0, awaitingResponse - 1)
            // Pipelined requests already read keep the server's turn; otherwise wait for the client.
            if awaitingResponse == 0 { arm(context, limits.readTimeout) } else { disarm() }
        }
        context.write(data, promise: promise)
    }

    private func arm(_ context: ChannelHandlerContext, _ timeout: Duration) {
        disarm()
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            channel.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}

@available(*, unavailable)
extension RequestLimitHandler: Sendable {}
