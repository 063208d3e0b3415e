/// Settings every simulated guest shares.
public struct GuestConfiguration: Sendable {
    /// What `guest-info` reports as the agent version of linux-7.2 guests (the other agent
    /// profiles report their own).
    public var agentVersion = "7.2.22"
    /// Commands disabled as with qemu-ga's `-b`: they answer "Command X has been disabled" (in
    /// the wording of each guest's agent).
    public var blockedCommands: Set<String> = []
    /// How long a guest stays asleep after `guest-suspend-*` (requests wait, as under QEMU).
    public var suspendDuration: Double = 10
    /// How long a `guest-shutdown` with mode "reboot" keeps the agent away.
    public var rebootDuration: Double = 5

    public init() {}
}
