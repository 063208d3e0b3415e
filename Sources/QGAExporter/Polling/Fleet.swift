import Logging
import NIOCore
import NIOPosix
import QGAProtocol
import Synchronization

/// The set of guests being polled. `apply` reconciles it with the latest discovery result:
/// new guests start, vanished guests stop and leave `/metrics`, changed guests restart.
final class Fleet: Sendable {
    private let workers = Mutex<[String: GuestWorker]>([:])
    private let settings = Mutex<(filters: FilterSet, poll: PollSettings)>((FilterSet.defaults, PollSettings()))
    private let limiter: Mutex<PollLimiter>
    let store: SnapshotStore
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let now: @Sendable () -> Double

    init(store: SnapshotStore, poll: PollSettings, logger: Logger,
         eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
         now: @escaping @Sendable () -> Double = { UnixTime.now() }) {
        self.store = store
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.now = now
        limiter = Mutex(PollLimiter(limit: poll.concurrency))
        settings.withLock { $0.poll = poll }
    }

    /// New filters or poll settings: every guest restarts with them on the next `apply`.
    func reconfigure(filters: FilterSet, poll: PollSettings) async {
        settings.withLock { $0 = (filters, poll) }
        limiter.withLock { $0 = PollLimiter(limit: poll.concurrency) }
        await stopAll()
    }

    func apply(_ specs: [GuestSpec]) async {
        let (filters, poll) = settings.withLock { ($0.filters, $0.poll) }
        let limiter = self.limiter.withLock { $0 }
        let wanted = Dictionary(specs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var stopped: [GuestWorker] = []
        var started: [String] = []
        workers.withLock { workers in
            for (name, worker) in workers where wanted[name] != worker.spec {
                stopped.append(worker)
                workers.removeValue(forKey: name)
            }
            for spec in specs where workers[spec.name] == nil {
                let client = AgentClient(address: spec.address, options: spec.clientOptions,
                                         eventLoopGroup: eventLoopGroup, logger: logger)
                workers[spec.name] = GuestWorker(spec: spec, client: client, filters: filters, jitter: poll.jitter,
                                                 limiter: limiter, store: store, logger: logger, now: now)
                started.append(spec.name)
            }
        }
        for worker in stopped { await worker.stop() }
        for name in store.retain(only: Set(wanted.keys)) {
            logger.info("guest removed", metadata: ["guest": "\(name)"])
        }
        for name in started { logger.info("guest added", metadata: ["guest": "\(name)"]) }
    }

    /// The guest's client, shared with its poller so control calls queue behind polls.
    func client(for guest: String) -> AgentClient? {
        workers.withLock { $0[guest]?.poller.client }
    }

    var guestNames: [String] { workers.withLock { $0.keys.sorted() } }

    func stopAll() async {
        let all = workers.withLock { workers in
            let all = Array(workers.values)
            workers.removeAll()
            return all
        }
        // All at once: shutdown then takes as long as the slowest guest, not the sum of all.
        await withTaskGroup(of: Void.self) { group in
            for worker in all { group.addTask { await worker.stop() } }
        }
    }
}
