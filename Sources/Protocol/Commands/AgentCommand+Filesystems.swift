// Filesystems, freeze and trim.

extension AgentCommand where Arguments == NoArguments, Result == [GuestFilesystemInfo] {
    /// `guest-get-fsinfo`: mounted filesystems with usage (network filesystems are not listed).
    public static var getFSInfo: Self { Self("guest-get-fsinfo", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == GuestFsfreezeStatus {
    /// `guest-fsfreeze-status`.
    public static var fsfreezeStatus: Self { Self("guest-fsfreeze-status", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == Int {
    /// `guest-fsfreeze-freeze`: freezes all local filesystems; returns how many are frozen.
    /// While frozen, the agent refuses everything but ping, info, sync, status and thaw.
    public static var fsfreezeFreeze: Self { Self("guest-fsfreeze-freeze", .stateChanging) }
    /// `guest-fsfreeze-thaw`: returns how many filesystems this call thawed.
    public static var fsfreezeThaw: Self { Self("guest-fsfreeze-thaw", .stateChanging) }
}

extension AgentCommand where Arguments == FsfreezeFreezeListArguments, Result == Int {
    /// `guest-fsfreeze-freeze-list`: freezes the given mount points (all when nil).
    public static var fsfreezeFreezeList: Self { Self("guest-fsfreeze-freeze-list", .stateChanging) }
}

extension AgentCommand where Arguments == FstrimArguments, Result == GuestFilesystemTrimResponse {
    /// `guest-fstrim`: discards unused blocks.
    public static var fstrim: Self { Self("guest-fstrim", .stateChanging) }
}

public struct FsfreezeFreezeListArguments: Encodable, Sendable, Hashable {
    /// Mount points (or, on Windows, volume paths); all when nil.
    public var mountpoints: [String]?

    public init(mountpoints: [String]?) {
        self.mountpoints = mountpoints
    }
}

public struct FstrimArguments: Encodable, Sendable, Hashable {
    /// A hint in bytes: free ranges smaller than this may be left alone.
    public var minimum: UInt64?

    public init(minimum: UInt64? = nil) {
        self.minimum = minimum
    }
}

// The typed calls the control API makes.
extension AgentClient {
    /// `guest-fsfreeze-status`.
    public func fsfreezeStatus(timeout: Duration? = nil) async throws(AgentError) -> GuestFsfreezeStatus {
        try await call(.fsfreezeStatus, timeout: timeout)
    }

    /// `guest-fsfreeze-freeze`: how many filesystems are frozen.
    public func fsfreezeFreeze(timeout: Duration? = nil) async throws(AgentError) -> Int {
        try await call(.fsfreezeFreeze, timeout: timeout)
    }

    /// `guest-fsfreeze-freeze-list` of `mountpoints` (all when nil).
    public func fsfreezeFreezeList(mountpoints: [String]? = nil, timeout: Duration? = nil) async throws(AgentError)
        -> Int
    {
        try await call(.fsfreezeFreezeList, FsfreezeFreezeListArguments(mountpoints: mountpoints), timeout: timeout)
    }

    /// `guest-fsfreeze-thaw`: how many filesystems this call thawed.
    public func fsfreezeThaw(timeout: Duration? = nil) async throws(AgentError) -> Int {
        try await call(.fsfreezeThaw, timeout: timeout)
    }
}
