// Typed commands: network, vCPUs, disks, memory blocks, statistics.
extension AgentClient {
    /// `guest-network-get-interfaces`: interfaces, addresses and counters.
    public func networkGetInterfaces(timeout: Duration? = nil) async throws(AgentError) -> [GuestNetworkInterface] {
        try await execute(QGACommand.networkGetInterfaces, returning: [GuestNetworkInterface].self, timeout: timeout)
    }

    /// `guest-network-get-route` (since 9.1, Linux).
    public func networkGetRoute(timeout: Duration? = nil) async throws(AgentError) -> [GuestNetworkRoute] {
        try await execute(QGACommand.networkGetRoute, returning: [GuestNetworkRoute].self, timeout: timeout)
    }

    /// `guest-get-diskstats` (since 7.1, Linux): I/O counters per block device.
    public func getDiskStats(timeout: Duration? = nil) async throws(AgentError) -> [GuestDiskStatsInfo] {
        try await execute(QGACommand.getDiskStats, returning: [GuestDiskStatsInfo].self, timeout: timeout)
    }

    /// `guest-get-cpustats` (since 7.1, Linux): CPU times per CPU, in milliseconds.
    public func getCPUStats(timeout: Duration? = nil) async throws(AgentError) -> [GuestCpuStats] {
        try await execute(QGACommand.getCPUStats, returning: [GuestCpuStats].self, timeout: timeout)
    }

    /// `guest-get-vcpus`: every logical processor, in no particular order.
    public func getVCPUs(timeout: Duration? = nil) async throws(AgentError) -> [GuestLogicalProcessor] {
        try await execute(QGACommand.getVCPUs, returning: [GuestLogicalProcessor].self, timeout: timeout)
    }

    /// `guest-set-vcpus`: returns how many leading entries were applied.
    public func setVCPUs(_ vcpus: [GuestLogicalProcessor], timeout: Duration? = nil) async throws(AgentError) -> Int {
        struct Arguments: Encodable, Sendable {
            let vcpus: [GuestLogicalProcessor]
        }
        return try await execute(QGACommand.setVCPUs, arguments: Arguments(vcpus: vcpus), returning: Int.self, timeout: timeout)
    }

    /// `guest-get-disks` (since 5.2): block devices with addresses and SMART data.
    public func getDisks(timeout: Duration? = nil) async throws(AgentError) -> [GuestDiskInfo] {
        try await execute(QGACommand.getDisks, returning: [GuestDiskInfo].self, timeout: timeout)
    }

    /// `guest-get-memory-blocks`.
    public func getMemoryBlocks(timeout: Duration? = nil) async throws(AgentError) -> [GuestMemoryBlock] {
        try await execute(QGACommand.getMemoryBlocks, returning: [GuestMemoryBlock].self, timeout: timeout)
    }

    /// `guest-set-memory-blocks`: one response per block, in input order.
    public func setMemoryBlocks(_ blocks: [GuestMemoryBlock], timeout: Duration? = nil) async throws(AgentError)
        -> [GuestMemoryBlockResponse]
    {
        struct Arguments: Encodable, Sendable {
            let memBlks: [GuestMemoryBlock]
            enum CodingKeys: String, CodingKey { case memBlks = "mem-blks" }
        }
        return try await execute(
            QGACommand.setMemoryBlocks, arguments: Arguments(memBlks: blocks),
            returning: [GuestMemoryBlockResponse].self, timeout: timeout)
    }

    /// `guest-get-memory-block-info`: the size of one memory block.
    public func getMemoryBlockInfo(timeout: Duration? = nil) async throws(AgentError) -> GuestMemoryBlockInfo {
        try await execute(QGACommand.getMemoryBlockInfo, returning: GuestMemoryBlockInfo.self, timeout: timeout)
    }
}
