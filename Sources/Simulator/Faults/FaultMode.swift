/// Ways a simulated guest misbehaves, each one a failure real fleets show.
public enum FaultMode: String, CaseIterable, Sendable, Hashable {
    /// Replies after a delay (an overloaded guest, an agent stuck in a slow fsinfo).
    case slow
    /// Accepts the connection, reads, and never answers (a booting guest, a dead agent behind
    /// QEMU's chardev).
    case silent
    /// Sometimes sends a line that is not JSON before the reply.
    case garbage
    /// Sometimes sends a reply meant for an earlier request (old or foreign id) before the real one.
    case stale
    /// Sometimes closes the connection halfway through a reply.
    case disconnect
    /// Sometimes answers with a reply larger than 16 MiB instead of the real one.
    case oversize
    /// Starts with its filesystems frozen, so only the freeze-safe commands run.
    case frozen
    /// The guest clock is off by minutes to an hour.
    case skew
}

/// How hard the faults bite, shared by the fleet.
public struct FaultSettings: Sendable {
    /// The extra time a `slow` guest takes per reply.
    public var slowDelay: Double = 2
    /// For the "sometimes" modes (garbage, stale, disconnect, oversize): the chance per reply.
    public var probability: Double = 0.3
    /// Size of an `oversize` reply line.
    public var oversizeBytes = (16 << 20) + 4096

    public init() {}
}
