/// Result types on the poll's hot path (the counters of disks, CPUs and interfaces) read
/// themselves from the parsed tree: Codable's per-member dispatch through boxed containers was
/// most of a poll's decoding time. The rules are their `init(from:)`'s: an absent or null
/// optional member is nil, a member of the wrong type throws (`TreeDecodableTests` compares the
/// two on every fixture and on broken variants).
protocol TreeDecodable: Decodable {
    init(tree: TreeObject) throws
}

/// One JSON object being read by a `TreeDecodable` type.
struct TreeObject {
    let members: JSONObject
    let path: [any CodingKey]

    init(_ value: JSONValue, path: [any CodingKey]) throws {
        guard case .object(let members) = value else {
            throw DecodingError.typeMismatch(
                JSONObject.self, .init(codingPath: path, debugDescription: "expected an object, found \(value.kindName)"))
        }
        self.members = members
        self.path = path
    }

    /// An optional unsigned counter.
    func counter(_ key: some CodingKey) throws -> UInt64? {
        guard let value = members[key.stringValue] else { return nil }
        if case .null = value { return nil }
        return try Scalar.integer(UInt64.self, value, path + [key])
    }

    func integer(_ key: some CodingKey) throws -> Int {
        try Scalar.integer(Int.self, required(key), path + [key])
    }

    func string(_ key: some CodingKey) throws -> String {
        try Scalar.string(required(key), path + [key])
    }

    func decode<T: Decodable>(_ type: T.Type, _ key: some CodingKey) throws -> T {
        try Scalar.decode(type, required(key), path + [key])
    }

    private func required(_ key: some CodingKey) throws -> JSONValue {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: path, debugDescription: "no member '\(key.stringValue)'"))
        }
        if case .null = value {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: path + [key], debugDescription: "'\(key.stringValue)' is null"))
        }
        return value
    }
}

extension GuestDiskStatsInfo: TreeDecodable {
    init(tree: TreeObject) throws {
        self.init(name: try tree.string(CodingKeys.name), major: try tree.integer(CodingKeys.major),
                  minor: try tree.integer(CodingKeys.minor), stats: try tree.decode(GuestDiskStats.self, CodingKeys.stats))
    }
}

extension GuestDiskStats: TreeDecodable {
    init(tree: TreeObject) throws {
        self.init(
            readSectors: try tree.counter(CodingKeys.readSectors), readIos: try tree.counter(CodingKeys.readIos),
            readMerges: try tree.counter(CodingKeys.readMerges), writeSectors: try tree.counter(CodingKeys.writeSectors),
            writeIos: try tree.counter(CodingKeys.writeIos), writeMerges: try tree.counter(CodingKeys.writeMerges),
            discardSectors: try tree.counter(CodingKeys.discardSectors), discardIos: try tree.counter(CodingKeys.discardIos),
            discardMerges: try tree.counter(CodingKeys.discardMerges), flushIos: try tree.counter(CodingKeys.flushIos),
            readTicks: try tree.counter(CodingKeys.readTicks), writeTicks: try tree.counter(CodingKeys.writeTicks),
            discardTicks: try tree.counter(CodingKeys.discardTicks), flushTicks: try tree.counter(CodingKeys.flushTicks),
            iosPgr: try tree.counter(CodingKeys.iosPgr), totalTicks: try tree.counter(CodingKeys.totalTicks),
            weightTicks: try tree.counter(CodingKeys.weightTicks))
    }
}

extension GuestLinuxCpuStats: TreeDecodable {
    init(tree: TreeObject) throws {
        self.init(
            cpu: try tree.integer(CodingKeys.cpu), user: try tree.counter(CodingKeys.user), nice: try tree.counter(CodingKeys.nice),
            system: try tree.counter(CodingKeys.system), idle: try tree.counter(CodingKeys.idle),
            iowait: try tree.counter(CodingKeys.iowait), irq: try tree.counter(CodingKeys.irq),
            softirq: try tree.counter(CodingKeys.softirq), steal: try tree.counter(CodingKeys.steal),
            guest: try tree.counter(CodingKeys.guest), guestnice: try tree.counter(CodingKeys.guestnice))
    }
}

extension GuestNetworkInterfaceStat: TreeDecodable {
    init(tree: TreeObject) throws {
        self.init(
            rxBytes: try tree.counter(CodingKeys.rxBytes), rxPackets: try tree.counter(CodingKeys.rxPackets),
            rxErrs: try tree.counter(CodingKeys.rxErrs), rxDropped: try tree.counter(CodingKeys.rxDropped),
            txBytes: try tree.counter(CodingKeys.txBytes), txPackets: try tree.counter(CodingKeys.txPackets),
            txErrs: try tree.counter(CodingKeys.txErrs), txDropped: try tree.counter(CodingKeys.txDropped))
    }
}
