import NIOCore
import NIOHTTPTypes

/// Lets a connection that was accepted but has not sent its first request yet finish that
/// request when the server shuts down. Hummingbird closes every connection without a request
/// in flight at once, which is right for an idle keep-alive (its client retries on a new one)
/// but loses a scrape that connected a moment before: under socket activation that scrape was
/// queued on systemd's socket, so a restart would refuse it although the next process would
/// have answered. The shutdown's "quiesce" is held until that first request's head arrives and
/// then passed on, so the request is answered and the connection closed after it; a client that
/// never sends one is closed by `RequestLimitHandler`'s read deadline.
final class FirstRequestGraceHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private var sawRequest = false
    private var quiesceHeld = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let isHead = if case .head = unwrapInboundIn(data) { true } else { false }
        if isHead { sawRequest = true }
        context.fireChannelRead(data)
        // After the head went on, so the server counts the request as in flight and closes the
        // connection once its response is written.
        if isHead, quiesceHeld {
            quiesceHeld = false
            context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, !sawRequest {
            quiesceHeld = true
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

@available(*, unavailable)
extension FirstRequestGraceHandler: Sendable {}
