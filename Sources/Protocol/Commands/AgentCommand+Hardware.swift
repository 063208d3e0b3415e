// Network, vCPUs, disks, memory blocks, statistics.

extension AgentCommand where Arguments == NoArguments, Result == [GuestNetworkInterface] {
    /// `guest-network-get-interfaces`: interfaces, addresses and counters.
    public static var networkGetInterfaces: Self { Self("guest-network-get-interfaces", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == [GuestNetworkRoute] {
    /// `guest-network-get-route` (since 9.1, Linux).
    public static var networkGetRoute: Self { Self("guest-network-get-route", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == [GuestDiskStatsInfo] {
    /// `guest-get-diskstats` (since 7.1, Linux): I/O counters per block device.
    public static var getDiskStats: Self { Self("guest-get-diskstats", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == [GuestCpuStats] {
    /// `guest-get-cpustats` (since 7.1, Linux): CPU times per CPU, in milliseconds.
    public static var getCPUStats: Self { Self("guest-get-cpustats", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == [GuestLogicalProcessor] {
    /// `guest-get-vcpus`: every logical processor, in no particular order.
    public static var getVCPUs: Self { Self("guest-get-vcpus", .readOnly) }
}

extension AgentCommand where Arguments == SetVCPUsArguments, Result == Int {
    /// `guest-set-vcpus`: returns how many leading entries were applied.
    public static var setVCPUs: Self { Self("guest-set-vcpus", .stateChanging) }
}

extension AgentCommand where Arguments == NoArguments, Result == [GuestDiskInfo] {
    /// `guest-get-disks` (since 5.2): block devices with addresses and SMART data.
    public static var getDisks: Self { Self("guest-get-disks", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == [GuestMemoryBlock] {
    /// `guest-get-memory-blocks`.
    public static var getMemoryBlocks: Self { Self("guest-get-memory-blocks", .readOnly) }
}

extension AgentCommand where Arguments == SetMemoryBlocksArguments, Result == [GuestMemoryBlockResponse] {
    /// `guest-set-memory-blocks`: one response per block, in input order.
    public static var setMemoryBlocks: Self { Self("guest-set-memory-blocks", .stateChanging) }
}

extension AgentCommand where Arguments == NoArguments, Result == GuestMemoryBlockInfo {
    /// `guest-get-memory-block-info`: the size of one memory block.
    public static var getMemoryBlockInfo: Self { Self("guest-get-memory-block-info", .readOnly) }
}

public struct SetVCPUsArguments: Encodable, Sendable, Hashable {
    public var vcpus: [GuestLogicalProcessor]

    public init(vcpus: [GuestLogicalProcessor]) {
        self.vcpus = vcpus
    }
}

public struct SetMemoryBlocksArguments: Encodable, Sendable, Hashable {
    public var memBlks: [GuestMemoryBlock]

    public init(memBlks: [GuestMemoryBlock]) {
        self.memBlks = memBlks
    }

    enum CodingKeys: String, CodingKey {
        case memBlks = "mem-blks"
    }
}
