import Logging
import NIOCore
import NIOPosix

/// One open channel to an agent, with the framing decoder and the reply router installed.
/// Not concurrency-safe by contract: the client allows one round trip at a time.
final class AgentConnection: Sendable {
    let channel: any Channel
    private let router: NIOLoopBound<ReplyRouter>

    private init(channel: any Channel, router: NIOLoopBound<ReplyRouter>) {
        self.channel = channel
        self.router = router
    }

    var isActive: Bool { channel.isActive }

    static func open(
        to address: AgentAddress,
        options: AgentClientOptions,
        on eventLoop: any EventLoop,
        logger: Logger
    ) async throws(AgentError) -> AgentConnection {
        let maxReplyBytes = options.maxReplyBytes
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(options.connectTimeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    try operations.addHandler(ByteToMessageHandler(AgentFrameDecoder(maxReplyBytes: maxReplyBytes)))
                    try operations.addHandler(ReplyRouter(logger: logger))
                }
            }
        let connecting: EventLoopFuture<any Channel>
        switch address {
        case .unix(let path):
            connecting = bootstrap.connect(unixDomainSocketPath: path)
        case .vsock(let cid, let port):
            connecting = bootstrap.connect(
                to: VsockAddress(cid: .init(rawValue: cid), port: .init(rawValue: port))
            )
        case .tcp(let host, let port):
            connecting = bootstrap.connect(host: host, port: port)
        case .libvirt:
            // AgentClient routes these to LibvirtAgentChannel; there is no socket of ours to open.
            throw AgentError(kind: .connectFailed, message: "\(address) is reached through libvirtd, not a socket")
        }
        do {
            let channel = try await connecting.get()
            let router = try await channel.eventLoop.submit {
                NIOLoopBound(
                    try channel.pipeline.syncOperations.handler(type: ReplyRouter.self),
                    eventLoop: channel.eventLoop
                )
            }.get()
            return AgentConnection(channel: channel, router: router)
        } catch {
            throw ConnectErrorClassifier.classify(error, address: address)
        }
    }

    /// Writes `request` and waits for the reply `expectation` describes, at most `deadline`.
    func roundTrip(_ request: ByteBuffer, expecting expectation: ReplyRouter.Expectation, within deadline: Duration)
        async throws(AgentError) -> ReceivedReply
    {
        let channel = self.channel
        let router = self.router
        let loop = channel.eventLoop
        let registered: (generation: UInt64, reply: EventLoopFuture<ReceivedReply>)
        do {
            registered = try await loop.submit {
                // Register before writing, so even an instant reply finds its waiter.
                let registration = router.value.expect(expectation, within: deadline, on: loop)
                channel.writeAndFlush(request).whenFailure { error in
                    router.value.fail(
                        generation: registration.generation,
                        AgentError(kind: .disconnected, message: "cannot send the request: \(error)")
                    )
                }
                return registration
            }.get()
        } catch {
            throw AgentError(kind: .disconnected, message: "connection is gone: \(error)")
        }
        do {
            return try await withTaskCancellationHandler {
                try await registered.reply.get()
            } onCancel: {
                loop.execute {
                    router.value.fail(
                        generation: registered.generation,
                        AgentError(kind: .timeout, message: "cancelled while waiting for the reply")
                    )
                }
            }
        } catch let error as AgentError {
            throw error
        } catch {
            throw AgentError(kind: .disconnected, message: "\(error)")
        }
    }

    struct Request: Sendable {
        var command: String
        var id: Int64
        var bytes: ByteBuffer
    }

    /// Sends each request as soon as the previous reply is in, all on the event loop, and
    /// resumes the caller once at the end: a poll costs the exporter one wake-up per reply (as a
    /// blocking client's read) rather than two thread hand-offs per command. Each reply goes to
    /// `read` right after the next request is out. Stops at the first failure (timeout, EOF,
    /// garbage): that reply is the last one read, and the failure is returned too.
    func roundTrips<T: Sendable>(
        _ requests: [Request], within deadline: Duration, clock: @escaping @Sendable () -> Double,
        checkpoint: SequenceCheckpoint<T>? = nil, read: @escaping @Sendable (Int, AgentReply) -> T
    ) async -> (results: [T], failure: AgentError?) {
        let loop = channel.eventLoop
        let promise = loop.makePromise(of: SequenceRun<T>.Outcome.self)
        let channel = self.channel
        let router = self.router
        loop.execute {
            let run = SequenceRun(requests: requests, router: router.value, channel: channel, deadline: deadline,
                                  clock: clock, checkpoint: checkpoint, read: read, promise: promise)
            run.send(0)
        }
        return await withTaskCancellationHandler {
            // The promise is always completed: after the last reply, or at the first failure.
            let outcome = try? await promise.futureResult.get()
            return (outcome?.results ?? [], outcome?.failure)
        } onCancel: {
            loop.execute {
                router.value.failPending(AgentError(kind: .timeout, message: "cancelled while waiting for the reply"))
            }
        }
    }

    func close() async {
        try? await channel.close()
    }
}

/// One `roundTrips` call in progress; lives on the channel's event loop.
private final class SequenceRun<T: Sendable> {
    struct Outcome: Sendable {
        var results: [T]
        var failure: AgentError?
    }

    private let requests: [AgentConnection.Request]
    private let router: ReplyRouter
    private let channel: any Channel
    private let deadline: Duration
    private let clock: @Sendable () -> Double
    private let read: @Sendable (Int, AgentReply) -> T
    private let checkpoint: SequenceCheckpoint<T>?
    private let promise: EventLoopPromise<Outcome>
    /// By request index: a reply's read can finish after a later reply's (see `send`).
    private var results: [T?]
    /// The last request of the run and its failure, once known.
    private var end: (index: Int, failure: AgentError?)?
    private var completed = false
    /// When requests written early (see `send`) went out, and when the replies that let them go
    /// arrived (stamped before the parse, so a reply never seems to come after the next request).
    private var earlySent: [Double?]
    private var arrivedAt: [Double?]

    init(requests: [AgentConnection.Request], router: ReplyRouter, channel: any Channel, deadline: Duration,
         clock: @escaping @Sendable () -> Double, checkpoint: SequenceCheckpoint<T>?,
         read: @escaping @Sendable (Int, AgentReply) -> T, promise: EventLoopPromise<Outcome>) {
        self.requests = requests
        self.router = router
        self.channel = channel
        self.deadline = deadline
        self.clock = clock
        self.read = read
        self.checkpoint = checkpoint
        self.promise = promise
        results = Array(repeating: nil, count: requests.count)
        earlySent = Array(repeating: nil, count: requests.count)
        arrivedAt = Array(repeating: nil, count: requests.count)
    }

    /// Sends request `index` (unless it went out early) and waits for its reply. When the reply's
    /// last bytes show our id, the next request is written at once, before the reply is parsed:
    /// the agent starts on it while we check this one. That is still one request at a time on
    /// the wire (the reply is in); if the check then fails, the sequence ends here, and the early
    /// request's reply is dropped as stale before the channel is used again (it resyncs).
    func send(_ index: Int) {
        let request = requests[index]
        let loop = channel.eventLoop
        let sentAt = earlySent[index] ?? clock()
        let hasNext = index + 1 < requests.count
        // A checkpoint's reply is read before the next request goes out: it may end the run.
        let isCheckpoint = checkpoint?.index == index
        let registration = router.expect(.reply(id: request.id), within: deadline, on: loop) {
            self.arrivedAt[index] = self.clock()
            if hasNext && !isCheckpoint { self.write(index + 1) }
        }
        if earlySent[index] == nil {
            // Registered before writing, so even an instant reply finds its waiter.
            write(index, failing: registration.generation)
        }
        registration.reply.assumeIsolated().whenComplete { result in
            let outcome = result.mapError { error in
                error as? AgentError ?? AgentError(kind: .disconnected, message: "\(error)")
            }
            let receivedAt = self.arrivedAt[index] ?? self.clock()
            let reply = AgentReply(command: request.command, sentAt: sentAt, receivedAt: receivedAt, outcome: outcome)
            // The agent starts on the next command before we read this reply. (If that request
            // fails at once, e.g. on a dead channel, its read runs inside `send`, before ours.)
            if isCheckpoint, let checkpoint = self.checkpoint {
                let result = self.read(index, reply)
                self.results[index] = result
                let more = reply.failure == nil && hasNext && checkpoint.proceed(result)
                if more { self.send(index + 1) } else { self.end = (index, reply.failure) }
                self.completeIfDone()
                return
            }
            let more = reply.failure == nil && hasNext
            if !more { self.end = (index, reply.failure) }
            if more { self.send(index + 1) }
            self.results[index] = self.read(index, reply)
            self.completeIfDone()
        }
    }

    /// Writes request `index`. A failed write fails its call: through the router when it is
    /// registered (`generation`), else when it registers (the channel is dead by then).
    private func write(_ index: Int, failing generation: UInt64? = nil) {
        if generation == nil { earlySent[index] = clock() }
        let router = self.router
        channel.writeAndFlush(requests[index].bytes).assumeIsolated().whenFailure { error in
            guard let generation else { return }
            router.fail(generation: generation, AgentError(kind: .disconnected, message: "cannot send the request: \(error)"))
        }
    }

    private func completeIfDone() {
        guard !completed, let end, results[0...end.index].allSatisfy({ $0 != nil }) else { return }
        completed = true
        promise.succeed(Outcome(results: results[0...end.index].map { $0! }, failure: end.failure))
    }
}
