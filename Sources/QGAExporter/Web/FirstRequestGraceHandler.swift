import NIOCore
import NIOHTTPTypes

/// Lets a connection that was accepted but has not sent its first request yet finish that
/// request when the server shuts down. Hummingbird closes every connection without a request
/// in flight at once, which is right for an idle keep-alive (its client retries on a new one)
/// but loses a scrape that connected a moment before: under socket activation that scrape was
/// queued on systemd's socket, so a restart would refuse it although the next process would
/// have answered. The shutdown's "quiesce" is held until that first request's head arrives and
/// then passed on, so the request is answered and the connection closed after it. A client that
/// sends nothing within `grace` is closed then, so it cannot hold up the stop for long.
final class FirstRequestGraceHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    /// A scraper sends its request right after connecting (after the TLS handshake with TLS).
    static let grace: Duration = .seconds(2)

    private let grace: Duration
    private var sawRequest = false
    private var heldQuiesce: Scheduled<Void>?

    init(grace: Duration = FirstRequestGraceHandler.grace) {
        self.grace = grace
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let isHead = if case .head = unwrapInboundIn(data) { true } else { false }
        if isHead { sawRequest = true }
        context.fireChannelRead(data)
        // After the head went on, so the server counts the request as in flight and closes the
        // connection once its response is written.
        if isHead { releaseQuiesce(context) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent, !sawRequest else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if heldQuiesce == nil {
            heldQuiesce = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(grace)) {
                self.releaseQuiesce(context)
            }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        heldQuiesce?.cancel()
        heldQuiesce = nil
    }

    private func releaseQuiesce(_ context: ChannelHandlerContext) {
        guard let held = heldQuiesce else { return }
        held.cancel()
        heldQuiesce = nil
        context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
    }
}

@available(*, unavailable)
extension FirstRequestGraceHandler: Sendable {}
