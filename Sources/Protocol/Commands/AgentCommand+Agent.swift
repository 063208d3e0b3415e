// The agent itself, time and power.

extension AgentCommand where Arguments == SyncArguments, Result == Int64 {
    /// `guest-sync-delimited`: the agent answers 0xFF and then echoes `id`. The client sends it
    /// itself, with the 0xFF sentinel, on connect and after a timeout; `AgentClient.resync()`
    /// forces one.
    public static var syncDelimited: Self { Self("guest-sync-delimited", .readOnly) }
    /// `guest-sync`: echoes `id`. Plain sync, without the 0xFF sentinel.
    public static var sync: Self { Self("guest-sync", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == EmptyReply {
    /// `guest-ping`: succeeds if the agent answers.
    public static var ping: Self { Self("guest-ping", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == Int64 {
    /// `guest-get-time`: the guest's clock, nanoseconds since the epoch.
    public static var getTime: Self { Self("guest-get-time", .readOnly) }
}

extension AgentCommand where Arguments == SetTimeArguments, Result == EmptyReply {
    /// `guest-set-time`: sets the guest clock, or from the RTC when `time` is nil (not on Windows).
    public static var setTime: Self { Self("guest-set-time", .stateChanging) }
}

extension AgentCommand where Arguments == NoArguments, Result == GuestAgentInfo {
    /// `guest-info`: agent version and which commands are enabled.
    public static var info: Self { Self("guest-info", .readOnly) }
}

extension AgentCommand where Arguments == ShutdownArguments, Result == NoReply {
    /// `guest-shutdown`: asks the guest to shut down. No reply on success.
    public static var shutdown: Self { Self("guest-shutdown", .stateChanging) }
}

extension AgentCommand where Arguments == NoArguments, Result == NoReply {
    /// `guest-suspend-disk`: hibernate. No reply on success.
    public static var suspendDisk: Self { Self("guest-suspend-disk", .stateChanging) }
    /// `guest-suspend-ram`: suspend to RAM (needs wakeup support in QEMU). No reply on success.
    public static var suspendRam: Self { Self("guest-suspend-ram", .stateChanging) }
    /// `guest-suspend-hybrid`: save to disk and suspend to RAM. No reply on success.
    public static var suspendHybrid: Self { Self("guest-suspend-hybrid", .stateChanging) }
}

public struct SyncArguments: Encodable, Sendable, Hashable {
    public var id: Int64

    public init(id: Int64) {
        self.id = id
    }
}

public struct SetTimeArguments: Encodable, Sendable, Hashable {
    /// Nanoseconds since the epoch; nil sets the clock from the RTC.
    public var time: Int64?

    public init(time: Int64?) {
        self.time = time
    }
}

/// How `guest-shutdown` stops the guest.
public enum GuestShutdownMode: String, Codable, Sendable, Hashable, CaseIterable {
    case halt, powerdown, reboot
}

public struct ShutdownArguments: Encodable, Sendable, Hashable {
    /// `powerdown` when nil.
    public var mode: GuestShutdownMode?

    public init(mode: GuestShutdownMode? = nil) {
        self.mode = mode
    }
}

// The typed calls the exporter makes.
extension AgentClient {
    /// `guest-info`.
    public func info(timeout: Duration? = nil) async throws(AgentError) -> GuestAgentInfo {
        try await call(.info, timeout: timeout)
    }

    /// `guest-set-time` to `nanoseconds` since the epoch, or from the RTC when nil.
    public func setTime(nanoseconds: Int64?, timeout: Duration? = nil) async throws(AgentError) {
        try await call(.setTime, SetTimeArguments(time: nanoseconds), timeout: timeout)
    }
}
