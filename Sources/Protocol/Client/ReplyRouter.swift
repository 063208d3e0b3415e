import Logging
import NIOCore

/// Sits at the end of a connection's pipeline and hands each call the one reply that belongs to
/// it. At most one call waits at a time. A reply whose id is not the waiting call's, a line that
/// is not a JSON object, or anything that arrives when nobody waits is stale or noise (an
/// earlier call timed out, virtio-serial kept output of an earlier session) and is dropped, so
/// a late reply can never answer a later call. Lives on the channel's event loop.
final class ReplyRouter: ChannelInboundHandler {
    typealias InboundIn = AgentFrame

    enum Expectation: Sendable, Hashable {
        /// A reply echoing this request id.
        case reply(id: Int64)
        /// The `guest-sync-delimited` reply returning this token; everything before it is skipped.
        case sync(token: Int64)
    }

    private struct Pending {
        let generation: UInt64
        let expectation: Expectation
        let promise: EventLoopPromise<ReceivedReply>
        var timeout: Scheduled<Void>?
        /// Called once, before the line is parsed, when a line ends the way our reply ends.
        var onLikelyReply: (() -> Void)?
    }

    private var pending: Pending?
    private var generation: UInt64 = 0
    /// Set once the channel is unusable; later expectations fail at once with it.
    private var terminalError: AgentError?
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Registers the one waiting call; the returned future completes with its reply or an error.
    /// `onLikelyReply` (`.reply` expectations only) runs when a line arrives whose last member is
    /// `"id": <the expected id>`, before the line is parsed and checked: a sequence uses it to
    /// send its next request while this reply is being parsed. The future still decides.
    func expect(_ expectation: Expectation, within deadline: Duration, on eventLoop: any EventLoop,
                onLikelyReply: (() -> Void)? = nil)
        -> (generation: UInt64, reply: EventLoopFuture<ReceivedReply>)
    {
        generation += 1
        let promise = eventLoop.makePromise(of: ReceivedReply.self)
        if let terminalError {
            promise.fail(terminalError)
            return (generation, promise.futureResult)
        }
        if let superseded = pending {
            // Cannot happen while the client serializes calls; if it ever does, the older call
            // fails rather than risk two callers sharing one reply.
            assertionFailure("ReplyRouter: a second call while one is outstanding")
            finish(
                generation: superseded.generation,
                .failure(AgentError(kind: .protocolViolation, message: "superseded by another call"))
            )
        }
        let current = generation
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let timeout = eventLoop.scheduleTask(in: TimeAmount(deadline)) {
            bound.value.finish(
                generation: current,
                .failure(AgentError(kind: .timeout, message: "no reply within \(deadline.readable)"))
            )
        }
        pending = Pending(generation: current, expectation: expectation, promise: promise, timeout: timeout,
                          onLikelyReply: onLikelyReply)
        return (current, promise.futureResult)
    }

    /// Ends a waiting call early (its task was cancelled, or its request could not be written).
    func fail(generation: UInt64, _ error: AgentError) {
        finish(generation: generation, .failure(error))
    }

    /// Ends whatever call is waiting (its sequence was cancelled).
    func failPending(_ error: AgentError) {
        if let waiting = pending { finish(generation: waiting.generation, .failure(error)) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .line(let line) = unwrapInboundIn(data) else {
            logger.trace("sync sentinel received")
            return
        }
        guard let waiting = pending else {
            logger.debug("dropping a reply no call is waiting for", metadata: ["reply": "\(line.preview)"])
            return
        }
        if let early = waiting.onLikelyReply, case .reply(let id) = waiting.expectation, line.endsWithID(id) {
            pending?.onLikelyReply = nil
            early()
        }
        guard let reply = (try? JSONParser.parse(line.readableBytesView)).flatMap(ReceivedReply.init(line:)) else {
            // Noise (a torn line of an earlier session, a guest's console output on the wrong
            // port) is not an answer: the call keeps waiting for its own id until its deadline.
            logger.debug("skipping a line that is not a JSON object", metadata: ["line": "\(line.preview)"])
            return
        }
        switch waiting.expectation {
        case .sync(let token):
            guard reply.header.returnInteger == token else {
                logger.debug("skipping output before the sync reply", metadata: ["line": "\(line.preview)"])
                return
            }
        case .reply(let id):
            guard reply.header.id == .int(id) else {
                logger.debug(
                    "dropping a reply with a foreign id",
                    metadata: ["expected": "\(id)", "got": "\(reply.header.id.map { "\($0)" } ?? "none")"]
                )
                return
            }
        }
        finish(generation: waiting.generation, .success(reply))
    }

    func channelInactive(context: ChannelHandlerContext) {
        markDead(AgentError(kind: .disconnected, message: "the agent closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let tooLarge = error as? ReplyTooLargeError {
            markDead(AgentError(kind: .replyTooLarge, message: "\(tooLarge); connection dropped"))
        } else {
            markDead(AgentError(kind: .disconnected, message: "connection failed: \(error)"))
        }
        context.close(promise: nil)
    }

    private func markDead(_ error: AgentError) {
        if terminalError == nil { terminalError = error }
        if let waiting = pending {
            finish(generation: waiting.generation, .failure(terminalError ?? error))
        }
    }

    private func finish(generation: UInt64, _ result: Result<ReceivedReply, AgentError>) {
        guard let waiting = pending, waiting.generation == generation else { return }
        pending = nil
        waiting.timeout?.cancel()
        switch result {
        case .success(let reply): waiting.promise.succeed(reply)
        case .failure(let error): waiting.promise.fail(error)
        }
    }
}

extension ByteBuffer {
    /// Whether the line ends with `"id": ID}` (qemu-ga's spelling; `"id":ID}` too) right after
    /// `,` or `{`: the id as the last member of the top-level object. A look at the last bytes,
    /// not a parse: only a hint for sending the next request early.
    func endsWithID(_ id: Int64) -> Bool {
        withUnsafeReadableBytes { bytes in
            var end = bytes.count
            func skip(_ characters: String) {
                while end > 0, characters.utf8.contains(bytes[end - 1]) { end -= 1 }
            }
            func drop(_ suffix: String) -> Bool {
                let suffix = Array(suffix.utf8)
                guard end >= suffix.count, bytes[(end - suffix.count)..<end].elementsEqual(suffix) else { return false }
                end -= suffix.count
                return true
            }
            skip("\r\n")
            guard drop("\(id)}") else { return false }
            skip(" ")
            guard drop("\"id\":") else { return false }
            skip(" ")
            return end > 0 && (bytes[end - 1] == UInt8(ascii: ",") || bytes[end - 1] == UInt8(ascii: "{"))
        }
    }

    /// The start of a line, for logs and error messages.
    var preview: String {
        let limit = 120
        let text = String(decoding: readableBytesView.prefix(limit), as: UTF8.self)
        return readableBytes > limit ? text + "..." : text
    }
}

extension Duration {
    /// "2 s", "250 ms": for messages.
    var readable: String {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        return "\(milliseconds) ms"
    }
}
