import NIOCore
import Foundation

/// One guest's socket: its agent, its faults, and the one connection it serves. Lives on one
/// event loop; the listening channel accepts a single client and only accepts the next once that
/// one has gone, so a second client waits in the backlog as it does with the real agent.
final class GuestEndpoint {
    let agent: GuestAgent
    let faults: Set<FaultMode>
    let settings: FaultSettings
    let socketPath: String
    let eventLoop: any EventLoop
    let emit: @Sendable (SimulatorEvent) -> Void
    let oversizeFiller: ByteBuffer
    var serverChannel: (any Channel)?
    var connection: (any Channel)?
    var isShutDown = false
    /// When the agent is free again: replies leave strictly in order, each after the last.
    var busyUntil = NIODeadline.uptimeNanoseconds(0)
    /// While suspended or rebooting, nothing is answered before this time.
    var awayUntil = NIODeadline.uptimeNanoseconds(0)
    /// The last reply line sent, replayed by the `stale` fault.
    var lastReplyLine: [UInt8]?
    /// Replies the last client left before they were sent. virtio-serial keeps a guest's
    /// output until a host client reads it, so the next client gets them first.
    var undelivered: [(due: NIODeadline, output: PlannedOutput)] = []
    var dice: SeededRandom

    var name: String { agent.profile.name }

    init(
        agent: GuestAgent, faults: Set<FaultMode>, settings: FaultSettings, socketPath: String,
        eventLoop: any EventLoop, oversizeFiller: ByteBuffer, emit: @escaping @Sendable (SimulatorEvent) -> Void
    ) {
        self.agent = agent
        self.faults = faults
        self.settings = settings
        self.socketPath = socketPath
        self.eventLoop = eventLoop
        self.oversizeFiller = oversizeFiller
        self.emit = emit
        self.dice = SeededRandom(seed: agent.profile.seed, UInt64(agent.profile.index), SeededRandom.salt("dice"))
    }

    func record(_ kind: SimulatorEvent.Kind, command: String? = nil, id: JSONValue? = nil, result: String? = nil,
                detail: String? = nil) {
        let idText = id.map { String(decoding: AgentJSONEncoder.encode($0), as: UTF8.self) }
        emit(SimulatorEvent(
            guest: name, time: agent.now(), kind: kind, command: command, id: idText, result: result,
            detail: detail))
    }

    /// Accept the next waiting client (exactly one: the listener reads one message at a time).
    func acceptNext() {
        guard !isShutDown, connection == nil else { return }
        serverChannel?.read()
    }

    func connectionOpened(_ channel: any Channel) {
        connection = channel
        record(.connected)
    }

    func connectionClosed(_ channel: any Channel) {
        guard connection === channel else { return }
        connection = nil
        record(.disconnected)
        acceptNext()
    }

    /// Powers the guest off: no more connections, and the socket file disappears (as QEMU
    /// removes its chardev socket when the VM exits).
    func shutDown() {
        guard !isShutDown else { return }
        isShutDown = true
        record(.shutdown)
        connection?.close(promise: nil)
        serverChannel?.close(promise: nil)
        unlink(socketPath)
    }
}
