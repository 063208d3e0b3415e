import Foundation
import NIOCore
import NIOPosix

/// A fleet of simulated qemu-ga guests, each listening on its own unix socket
/// (`DIR/guest-0001.sock`, ...), all served by one event loop group.
///
///     let fleet = try await SimulatedFleet.start(.init(guestCount: 100, directory: dir))
///     // connect to fleet.socketPath(ofGuest: 1) ...
///     try await fleet.stop()
public final class SimulatedFleet: Sendable {
    public struct Configuration: Sendable {
        public var guestCount: Int
        public var directory: String
        /// Same seed, same wall clock: same guests, same payloads.
        public var seed: UInt64 = 1
        public var faults = FaultSpec()
        public var faultSettings = FaultSettings()
        /// Which agent each guest runs; empty is every guest on linux-7.2.
        public var mix = ProfileMix()
        public var guest = GuestConfiguration()
        /// Threads of the group the fleet creates when none is given.
        public var threads = min(4, System.coreCount)
        /// The host clock payloads are computed from, seconds since the epoch.
        public var clock: @Sendable () -> Double = { Date().timeIntervalSince1970 }
        /// Called on an event loop for every event; keep it quick.
        public var onEvent: (@Sendable (SimulatorEvent) -> Void)?
        /// A file to append every event to, one JSON line each.
        public var eventLogPath: String?

        public init(guestCount: Int, directory: String) {
            self.guestCount = guestCount
            self.directory = directory
        }
    }

    public let configuration: Configuration
    /// Faults by guest index (1-based); guests without faults are absent.
    public let faultAssignments: [Int: Set<FaultMode>]
    /// The agent profile of every guest, by index (1-based).
    public let profileAssignments: [Int: AgentProfile]
    private let endpoints: [NIOLoopBound<GuestEndpoint>]
    private let group: any EventLoopGroup
    private let ownsGroup: Bool
    private let eventLog: EventLogFile?

    private init(
        configuration: Configuration, faultAssignments: [Int: Set<FaultMode>], profileAssignments: [Int: AgentProfile],
        endpoints: [NIOLoopBound<GuestEndpoint>], group: any EventLoopGroup, ownsGroup: Bool, eventLog: EventLogFile?
    ) {
        self.configuration = configuration
        self.faultAssignments = faultAssignments
        self.profileAssignments = profileAssignments
        self.endpoints = endpoints
        self.group = group
        self.ownsGroup = ownsGroup
        self.eventLog = eventLog
    }

    public var guestCount: Int { configuration.guestCount }

    public func guestName(_ index: Int) -> String { GuestProfile.guestName(index: index) }

    public func socketPath(ofGuest index: Int) -> String {
        configuration.directory + "/" + guestName(index) + ".sock"
    }

    public func faults(ofGuest index: Int) -> Set<FaultMode> { faultAssignments[index] ?? [] }

    public func profile(ofGuest index: Int) -> AgentProfile { profileAssignments[index] ?? .default }

    /// Starts every guest; returns once all sockets accept connections.
    public static func start(
        _ configuration: Configuration, group existingGroup: (any EventLoopGroup)? = nil
    ) async throws -> SimulatedFleet {
        precondition(configuration.guestCount > 0, "a fleet needs at least one guest")
        OpenFileLimit.raiseToHardLimit()
        try FileManager.default.createDirectory(
            atPath: configuration.directory, withIntermediateDirectories: true)
        let group = existingGroup ?? MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads)
        let eventLog = try configuration.eventLogPath.map(EventLogFile.init(path:))
        let onEvent = configuration.onEvent
        let emit: @Sendable (SimulatorEvent) -> Void = { event in
            eventLog?.append(event)
            onEvent?(event)
        }
        let assignments = configuration.faults.assignments(
            guestCount: configuration.guestCount, seed: configuration.seed)
        let profiles = configuration.mix.assignments(guestCount: configuration.guestCount, seed: configuration.seed)
        // The 16 MiB body is shared by every oversize guest, and only made if one exists.
        let needsFiller = assignments.values.contains { $0.contains(.oversize) }
        let filler = FaultInjector.makeFiller(size: needsFiller ? configuration.faultSettings.oversizeBytes : 0)

        var endpoints: [NIOLoopBound<GuestEndpoint>] = []
        var bindings: [EventLoopFuture<Void>] = []
        for index in 1...configuration.guestCount {
            let loop = group.next()
            let faults = assignments[index] ?? []
            let agent = profiles[index] ?? .default
            let path = configuration.directory + "/" + GuestProfile.guestName(index: index) + ".sock"
            let bound = try await loop.submit { () -> NIOLoopBound<GuestEndpoint> in
                let endpoint = Self.makeEndpoint(
                    index: index, agentProfile: agent, faults: faults, path: path, loop: loop, filler: filler,
                    configuration: configuration, emit: emit)
                return NIOLoopBound(endpoint, eventLoop: loop)
            }.get()
            endpoints.append(bound)
            bindings.append(Self.bind(bound, loop: loop))
        }
        let fleet = SimulatedFleet(
            configuration: configuration, faultAssignments: assignments, profileAssignments: profiles,
            endpoints: endpoints, group: group, ownsGroup: existingGroup == nil, eventLog: eventLog)
        do {
            for binding in bindings { try await binding.get() }
        } catch {
            try? await fleet.stop()
            throw error
        }
        return fleet
    }

    private static func makeEndpoint(
        index: Int, agentProfile: AgentProfile, faults: Set<FaultMode>, path: String, loop: any EventLoop,
        filler: ByteBuffer, configuration: Configuration, emit: @escaping @Sendable (SimulatorEvent) -> Void
    ) -> GuestEndpoint {
        let profile = GuestProfile(index: index, seed: configuration.seed, agent: agentProfile)
        var skewDice = SeededRandom(seed: configuration.seed, UInt64(index), SeededRandom.salt("skew"))
        let skew = faults.contains(.skew) ? (skewDice.chance(0.5) ? 1 : -1) * (60 + skewDice.unit() * 3540) : 0
        let agent = GuestAgent(
            profile: profile, configuration: configuration.guest, frozen: faults.contains(.frozen),
            clockOffset: skew, now: configuration.clock)
        return GuestEndpoint(
            agent: agent, faults: faults, settings: configuration.faultSettings, socketPath: path,
            eventLoop: loop, oversizeFiller: filler, emit: emit)
    }

    /// Binds the guest's socket with reads off, then accepts the first client.
    private static func bind(_ bound: NIOLoopBound<GuestEndpoint>, loop: any EventLoop) -> EventLoopFuture<Void> {
        let path = loop.submit { bound.value.socketPath }
        return path.flatMap { path in
            ServerBootstrap(group: loop, childGroup: loop)
                .serverChannelOption(.backlog, value: 64)
                .serverChannelOption(.autoRead, value: false)
                .serverChannelOption(.maxMessagesPerRead, value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            GuestConnectionHandler(endpoint: bound.value))
                    }
                }
                .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true)
                .map { channel in
                    bound.value.serverChannel = channel
                    bound.value.acceptNext()
                }
        }
    }

    /// Runs `body` on the guest's event loop with its agent (for tests and inspection).
    func withEndpoint<Result: Sendable>(
        ofGuest index: Int, _ body: @escaping @Sendable (GuestEndpoint) -> Result
    ) async throws -> Result {
        let bound = endpoints[index - 1]
        return try await bound.eventLoop.submit { body(bound.value) }.get()
    }

    /// Whether the guest's filesystems are frozen now.
    public func isFrozen(guest index: Int) async throws -> Bool {
        try await withEndpoint(ofGuest: index) { $0.agent.isFrozen }
    }

    /// Whether the guest has been shut down (by `guest-shutdown`).
    public func isShutDown(guest index: Int) async throws -> Bool {
        try await withEndpoint(ofGuest: index) { $0.isShutDown }
    }

    /// Closes every socket, removes the socket files, and stops the group if the fleet made it.
    public func stop() async throws {
        for bound in endpoints {
            try await bound.eventLoop.flatSubmit { () -> EventLoopFuture<Void> in
                let endpoint = bound.value
                endpoint.isShutDown = true
                endpoint.connection?.close(promise: nil)
                let path = endpoint.socketPath
                let closed = endpoint.serverChannel?.close() ?? bound.eventLoop.makeSucceededVoidFuture()
                return closed.recover { _ in }.always { _ in unlink(path) }
            }.get()
        }
        eventLog?.close()
        if ownsGroup { try await group.shutdownGracefully() }
    }
}
