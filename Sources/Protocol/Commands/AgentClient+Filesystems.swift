// Typed commands: filesystems, freeze and trim.
extension AgentClient {
    /// `guest-get-fsinfo`: mounted filesystems with usage (network filesystems are not listed).
    public func getFSInfo(timeout: Duration? = nil) async throws(AgentError) -> [GuestFilesystemInfo] {
        try await execute(QGACommand.getFSInfo, returning: [GuestFilesystemInfo].self, timeout: timeout)
    }

    /// `guest-fsfreeze-status`.
    public func fsfreezeStatus(timeout: Duration? = nil) async throws(AgentError) -> GuestFsfreezeStatus {
        try await execute(QGACommand.fsfreezeStatus, returning: GuestFsfreezeStatus.self, timeout: timeout)
    }

    /// `guest-fsfreeze-freeze`: freezes all local filesystems; returns how many are frozen.
    /// While frozen, the agent refuses everything but ping, info, sync, status and thaw.
    public func fsfreezeFreeze(timeout: Duration? = nil) async throws(AgentError) -> Int {
        try await execute(QGACommand.fsfreezeFreeze, returning: Int.self, timeout: timeout)
    }

    /// `guest-fsfreeze-freeze-list`: freezes the given mount points (all when nil).
    public func fsfreezeFreezeList(mountpoints: [String]? = nil, timeout: Duration? = nil) async throws(AgentError)
        -> Int
    {
        let args = arguments(["mountpoints": mountpoints.map(JSONValue.init)])
        return try await execute(QGACommand.fsfreezeFreezeList, arguments: args, returning: Int.self, timeout: timeout)
    }

    /// `guest-fsfreeze-thaw`: returns how many filesystems this call thawed.
    public func fsfreezeThaw(timeout: Duration? = nil) async throws(AgentError) -> Int {
        try await execute(QGACommand.fsfreezeThaw, returning: Int.self, timeout: timeout)
    }

    /// `guest-fstrim`: discards unused blocks; `minimum` is a hint in bytes.
    public func fstrim(minimum: UInt64? = nil, timeout: Duration? = nil) async throws(AgentError)
        -> GuestFilesystemTrimResponse
    {
        let args = arguments(["minimum": minimum.map(JSONValue.uint)])
        return try await execute(QGACommand.fstrim, arguments: args, returning: GuestFilesystemTrimResponse.self, timeout: timeout)
    }
}
