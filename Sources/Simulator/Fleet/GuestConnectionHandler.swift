import NIOCore

/// Serves one client of one guest: feeds the bytes to the agent and sends the answers back,
/// late, mangled or not at all when the guest has faults.
final class GuestConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let endpoint: GuestEndpoint
    /// Replies waiting for their time (slow guests, suspended guests), oldest first.
    private var queue: [(due: NIODeadline, output: PlannedOutput)] = []
    private var drainScheduled = false
    private var closing = false

    init(endpoint: GuestEndpoint) { self.endpoint = endpoint }

    func channelActive(context: ChannelHandlerContext) {
        endpoint.connectionOpened(context.channel)
        // What the previous client did not stay for comes first, as through virtio-serial.
        queue = endpoint.undelivered
        endpoint.undelivered = []
        if !queue.isEmpty {
            endpoint.record(.fault, detail: "delivering \(queue.count) replies left by the previous client")
        }
        scheduleDrain(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !closing, !endpoint.isShutDown { endpoint.undelivered = queue }
        closing = true
        queue.removeAll()
        endpoint.connectionClosed(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard !closing else { return }
        if endpoint.faults.contains(.silent) {
            endpoint.record(.fault, detail: "silent: ignored \(buffer.readableBytes) bytes")
            return
        }
        let now = NIODeadline.now()
        var immediate = context.channel.allocator.buffer(capacity: 256)
        for response in endpoint.agent.receive(buffer.readableBytesView) {
            endpoint.record(
                .command, command: response.command, id: response.id, result: Self.describe(response.outcome))
            let output = FaultInjector.plan(response, endpoint: endpoint)
            let due = max(now, endpoint.busyUntil, endpoint.awayUntil)
                + (endpoint.faults.contains(.slow) ? .fractionalSeconds(endpoint.settings.slowDelay) : .zero)
            endpoint.busyUntil = due
            apply(effect: response.effect, now: now)
            if due <= now, queue.isEmpty {
                if !write(output, into: &immediate, context: context) { break }
            } else {
                queue.append((due, output))
            }
        }
        if immediate.readableBytes > 0 { context.writeAndFlush(wrapOutboundOut(immediate), promise: nil) }
        scheduleDrain(context: context)
        if endpoint.isShutDown { context.close(promise: nil) }
    }

    private func apply(effect: GuestAgent.Response.Effect, now: NIODeadline) {
        switch effect {
        case .none:
            break
        case .shutdown:
            endpoint.shutDown()
        case .away(let seconds, let closes):
            endpoint.awayUntil = now + .fractionalSeconds(seconds)
            endpoint.busyUntil = max(endpoint.busyUntil, endpoint.awayUntil)
            if closes {
                // A rebooting guest's agent starts afresh.
                endpoint.agent.framer.reset()
                closing = true
                endpoint.connection?.close(promise: nil)
            }
        }
    }

    /// Appends `output` to `buffer`; false when the fault closes the connection midway.
    private func write(_ output: PlannedOutput, into buffer: inout ByteBuffer, context: ChannelHandlerContext) -> Bool {
        for chunk in output.chunks { buffer.writeImmutableBuffer(chunk) }
        guard output.closesAfter else { return true }
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        buffer.clear()
        closing = true
        queue.removeAll()
        context.close(promise: nil)
        return false
    }

    private func scheduleDrain(context: ChannelHandlerContext) {
        guard !drainScheduled, !closing, let first = queue.first else { return }
        drainScheduled = true
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(deadline: first.due) {
            let (handler, context) = bound.value
            handler.drainScheduled = false
            handler.drain(context: context)
        }
    }

    private func drain(context: ChannelHandlerContext) {
        guard !closing else { return }
        let now = NIODeadline.now()
        var buffer = context.channel.allocator.buffer(capacity: 256)
        while let first = queue.first, first.due <= now {
            queue.removeFirst()
            if !write(first.output, into: &buffer, context: context) { return }
        }
        if buffer.readableBytes > 0 { context.writeAndFlush(wrapOutboundOut(buffer), promise: nil) }
        scheduleDrain(context: context)
    }

    static func describe(_ outcome: GuestAgent.Response.Outcome) -> String {
        switch outcome {
        case .success: return "ok"
        case .noReply: return "no-reply"
        case .failure(let error): return "\(error.errorClass.rawValue): \(error.desc)"
        }
    }
}
