// Typed commands: the agent itself, time and power.

/// How `guest-shutdown` stops the guest.
public enum GuestShutdownMode: String, Sendable, Hashable, CaseIterable {
    case halt, powerdown, reboot
}

extension AgentClient {
    /// `guest-sync-delimited`: resynchronizes the channel now (the client also does this on
    /// connect and after timeouts by itself).
    public func syncDelimited() async throws(AgentError) {
        try await resync()
    }

    /// `guest-sync`: echoes `id`. Plain sync, without the 0xFF sentinel.
    public func sync(id: Int64, timeout: Duration? = nil) async throws(AgentError) -> Int64 {
        try await execute(QGACommand.sync, arguments: arguments(["id": .int(id)]), returning: Int64.self, timeout: timeout)
    }

    /// `guest-ping`: succeeds if the agent answers.
    public func ping(timeout: Duration? = nil) async throws(AgentError) {
        _ = try await execute(QGACommand.ping, returning: EmptyReply.self, timeout: timeout)
    }

    /// `guest-info`: agent version and which commands are enabled.
    public func info(timeout: Duration? = nil) async throws(AgentError) -> GuestAgentInfo {
        try await execute(QGACommand.info, returning: GuestAgentInfo.self, timeout: timeout)
    }

    /// `guest-get-time`: the guest's clock, nanoseconds since the epoch.
    public func getTime(timeout: Duration? = nil) async throws(AgentError) -> Int64 {
        try await execute(QGACommand.getTime, returning: Int64.self, timeout: timeout)
    }

    /// `guest-set-time`: sets the guest clock to `nanoseconds` since the epoch, or from the RTC
    /// when nil (not supported on Windows).
    public func setTime(nanoseconds: Int64?, timeout: Duration? = nil) async throws(AgentError) {
        let args = arguments(["time": nanoseconds.map(JSONValue.int)])
        _ = try await execute(QGACommand.setTime, arguments: args, returning: EmptyReply.self, timeout: timeout)
    }

    /// `guest-shutdown`: asks the guest to shut down. No reply on success.
    public func shutdown(mode: GuestShutdownMode? = nil) async throws(AgentError) {
        try await executeNoReply(QGACommand.shutdown, arguments: arguments(["mode": mode.map { .string($0.rawValue) }]))
    }

    /// `guest-suspend-disk`: hibernate. No reply on success.
    public func suspendDisk() async throws(AgentError) {
        try await executeNoReply(QGACommand.suspendDisk)
    }

    /// `guest-suspend-ram`: suspend to RAM (needs wakeup support in QEMU). No reply on success.
    public func suspendRam() async throws(AgentError) {
        try await executeNoReply(QGACommand.suspendRam)
    }

    /// `guest-suspend-hybrid`: save to disk and suspend to RAM. No reply on success.
    public func suspendHybrid() async throws(AgentError) {
        try await executeNoReply(QGACommand.suspendHybrid)
    }
}
