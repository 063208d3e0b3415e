/// The commands. Each reads all its arguments and calls `finish()` before acting, because the
/// real agent rejects unexpected arguments before the command runs.
extension GuestAgent {
    /// Commands without arguments that only report the guest's current state.
    private static let payloadReads: [String: @Sendable (PayloadBuilder) -> JSONValue] = [
        "guest-get-cpustats": { $0.cpuStats() },
        "guest-get-diskstats": { $0.diskStats() },
        "guest-network-get-interfaces": { $0.interfaces() },
        "guest-get-fsinfo": { $0.filesystems() },
        "guest-get-disks": { $0.disks() },
        "guest-get-users": { $0.users() },
        "guest-get-osinfo": { $0.osInfo() },
        "guest-get-host-name": { $0.hostName() },
        "guest-get-timezone": { $0.timezone() },
        "guest-get-vcpus": { $0.vcpus() },
        "guest-get-memory-blocks": { $0.memoryBlocks() },
        "guest-network-get-route": { $0.routes() },
        "guest-get-devices": { $0.devices() },
    ]

    func run(_ command: String, _ arguments: inout CommandArguments) throws(AgentError) -> CommandResult {
        let time = now()
        let payloads = PayloadBuilder(profile: profile, time: time)
        if profile.agent.commands.unsupported.contains(command) {
            // A stub: the arguments are checked first, as for any command.
            try arguments.finish()
            throw AgentError.unsupported
        }
        if let read = Self.payloadReads[command] {
            try arguments.finish()
            return .value(read(payloads))
        }
        switch command {
        case "guest-sync", "guest-sync-delimited":
            let id = try arguments.int("id")
            try arguments.finish()
            return .value(.int(id))
        case "guest-ping":
            try arguments.finish()
            return .value(.object(JSONObject()))
        case "guest-info":
            try arguments.finish()
            return .value(agentInfo())
        case "guest-get-load":
            try arguments.finish()
            return .value(load(payloads))
        case "guest-get-time":
            try arguments.finish()
            return .value(.int(guestClockNanoseconds(at: time)))
        case "guest-set-time":
            let requested = try arguments.optionalInt("time")
            try arguments.finish()
            // Without a time the guest reads its RTC, which the host keeps right.
            clockOffset = requested.map { Double($0) / 1e9 - time } ?? 0
            return .value(.object(JSONObject()))
        case "guest-shutdown":
            let mode = try arguments.optionalString("mode") ?? "powerdown"
            try arguments.finish()
            switch mode {
            case "halt", "powerdown": return .noReply(.shutdown)
            case "reboot":
                loadSamplingStart = nil
                return .noReply(.away(seconds: configuration.rebootDuration, closes: true))
            default: throw .generic("Parameter 'mode' expects \"halt\", \"powerdown\" or \"reboot\"")
            }
        case "guest-suspend-disk", "guest-suspend-ram", "guest-suspend-hybrid":
            try arguments.finish()
            return .noReply(.away(seconds: configuration.suspendDuration, closes: false))
        case "guest-set-vcpus":
            return .value(try setVCPUs(&arguments))
        case "guest-get-memory-block-info":
            try arguments.finish()
            return .value(.object(["size": .int(128 << 20)]))
        case "guest-set-memory-blocks":
            return .value(try setMemoryBlocks(&arguments))
        case "guest-set-user-password":
            let user = try arguments.string("username")
            let password = try arguments.string("password")
            _ = try arguments.optionalBool("crypted")
            try arguments.finish()
            guard Base64.decode(password) != nil else { throw AgentError.invalidBase64 }
            guard knowsUser(user) else { throw .generic("failed to lookup user '\(user)': Success") }
            return .value(.object(JSONObject()))
        case "guest-fsfreeze-status":
            try arguments.finish()
            return .value(.string(isFrozen ? "frozen" : "thawed"))
        case "guest-fsfreeze-freeze":
            try arguments.finish()
            return .value(.int(freeze(mountpoints: nil)))
        case "guest-fsfreeze-freeze-list":
            let mountpoints = try arguments.optionalStringArray("mountpoints")
            try arguments.finish()
            return .value(.int(freeze(mountpoints: mountpoints)))
        case "guest-fsfreeze-thaw":
            try arguments.finish()
            let thawed = isFrozen ? freezableFilesystems.count : 0
            isFrozen = false
            return .value(.int(thawed))
        case "guest-fstrim":
            let minimum = try arguments.optionalInt("minimum") ?? 0
            try arguments.finish()
            return .value(fstrim(minimum: minimum, payloads: payloads))
        case "guest-file-open", "guest-file-close", "guest-file-read", "guest-file-write", "guest-file-seek",
            "guest-file-flush":
            return .value(try fileCommand(command, &arguments))
        case "guest-exec":
            return .value(try exec(&arguments, time: time))
        case "guest-exec-status":
            let pid = try arguments.int("pid")
            try arguments.finish()
            return .value(try processes.status(pid: pid, now: time))
        case "guest-ssh-get-authorized-keys", "guest-ssh-add-authorized-keys", "guest-ssh-remove-authorized-keys":
            return .value(try sshCommand(command, &arguments))
        default:
            throw .commandNotFound(command)
        }
    }

    /// The guest clock in nanoseconds, at the microsecond resolution the agent reads it with.
    func guestClockNanoseconds(at time: Double) -> Int64 {
        Int64(((time + clockOffset) * 1_000_000).rounded(.down)) * 1000
    }

    func agentInfo() -> JSONValue {
        let commands = profile.agent.commands.commands.map { command in
            JSONValue.object([
                "enabled": .bool(refusal(of: command.name) == nil), "name": .string(command.name),
                "success-response": .bool(command.successResponse),
            ])
        }
        let version = profile.agent == .linux72 ? configuration.agentVersion : profile.agent.version
        return .object(["version": .string(version), "supported_commands": .array(commands)])
    }

    /// Linux reads the kernel's averages; the Windows agent samples from its first request on,
    /// and starts over when the guest has rebooted since.
    private func load(_ payloads: PayloadBuilder) -> JSONValue {
        guard profile.agent.emulatesLoad else { return payloads.kernelLoad() }
        if let start = loadSamplingStart, start >= payloads.bootTime { return payloads.emulatedLoad(since: start) }
        loadSamplingStart = payloads.time
        return payloads.emulatedLoad(since: payloads.time)
    }

    /// Read-only media cannot be frozen; everything else mounted can.
    var freezableFilesystems: [GuestProfile.Filesystem] {
        profile.filesystems.filter { $0.type != "iso9660" && $0.type != "CDFS" }
    }

    private func freeze(mountpoints: [String]?) -> Int {
        let chosen = freezableFilesystems.filter { mountpoints?.contains($0.mountpoint) ?? true }
        if !chosen.isEmpty { isFrozen = true }
        return chosen.count
    }

    private func fstrim(minimum: Int64, payloads: PayloadBuilder) -> JSONValue {
        let paths = freezableFilesystems.map { filesystem in
            let free = filesystem.totalBytes - payloads.usedBytes(filesystem)
            return JSONValue.object([
                "path": .string(filesystem.mountpoint), "trimmed": .uint(free / 2), "minimum": .int(minimum),
            ])
        }
        return .object(["paths": .array(paths)])
    }

    private func setVCPUs(_ arguments: inout CommandArguments) throws(AgentError) -> JSONValue {
        guard let list = arguments.optionalRaw("vcpus")?.arrayValue else { throw .missingParameter("vcpus") }
        try arguments.finish()
        var processed = 0
        for entry in list {
            guard let object = entry.objectValue, let id = object["logical-id"]?.int64Value,
                let online = object["online"]?.boolValue
            else { throw .invalidType("vcpus", expected: "object") }
            guard id >= 0, id < profile.cpus.count else { break }
            // CPU 0 refuses to go offline; the count stops at the first refusal.
            if id == 0 && !online { break }
            processed += 1
        }
        return .int(processed)
    }

    private func setMemoryBlocks(_ arguments: inout CommandArguments) throws(AgentError) -> JSONValue {
        guard let list = arguments.optionalRaw("mem-blks")?.arrayValue else { throw .missingParameter("mem-blks") }
        try arguments.finish()
        return .array(list.compactMap { entry in
            guard let index = entry.objectValue?["phys-index"]?.int64Value else { return nil }
            let known = index >= 0 && index < Int64(profile.memoryBlocks)
            return .object([
                "phys-index": .int(index), "response": .string(known ? "success" : "not-found"),
            ])
        })
    }

    private func fileCommand(_ command: String, _ arguments: inout CommandArguments) throws(AgentError) -> JSONValue {
        if command == "guest-file-open" {
            let path = try arguments.string("path")
            let mode = try arguments.optionalString("mode") ?? "r"
            try arguments.finish()
            return .int(try files.open(path: path, mode: mode))
        }
        let handle = try arguments.int("handle")
        switch command {
        case "guest-file-close":
            try arguments.finish()
            try files.close(handle: handle)
            return .object(JSONObject())
        case "guest-file-flush":
            try arguments.finish()
            try files.flush(handle: handle)
            return .object(JSONObject())
        case "guest-file-read":
            let count = try arguments.optionalInt("count") ?? FileTable.defaultReadCount
            try arguments.finish()
            let (bytes, eof) = try files.read(handle: handle, count: count)
            return .object(["count": .int(bytes.count), "buf-b64": .string(Base64.encode(bytes)), "eof": .bool(eof)])
        case "guest-file-write":
            let text = try arguments.string("buf-b64")
            let count = try arguments.optionalInt("count")
            try arguments.finish()
            guard var bytes = Base64.decode(text) else { throw AgentError.invalidBase64 }
            if let count {
                guard count >= 0, count <= bytes.count else {
                    throw .generic("value '\(count)' is invalid for argument count")
                }
                bytes = Array(bytes.prefix(Int(count)))
            }
            let written = try files.write(handle: handle, bytes: bytes)
            return .object(["count": .int(written), "eof": .bool(false)])
        default:
            let offset = try arguments.int("offset")
            guard let whence = try arguments.optionalEnumOrInt("whence", cases: ["set", "cur", "end"]) else {
                throw .missingParameter("whence")
            }
            try arguments.finish()
            let mode: FileTable.Whence
            switch whence {
            case .name("set"), .int(0): mode = .set
            case .name("cur"), .int(1): mode = .current
            case .name("end"), .int(2): mode = .end
            case .int(let other): throw .generic("invalid whence code \(other)")
            case .name(let other): throw .invalidValue("whence", other)
            }
            let position = try files.seek(handle: handle, offset: offset, whence: mode)
            return .object(["position": .int(position), "eof": .bool(false)])
        }
    }

    private func exec(_ arguments: inout CommandArguments, time: Double) throws(AgentError) -> JSONValue {
        let path = try arguments.string("path")
        let argv = try arguments.optionalStringArray("arg") ?? []
        _ = try arguments.optionalStringArray("env")
        let inputText = try arguments.optionalString("input-data")
        let capture = try arguments.optionalBool("capture-output") ?? false
        try arguments.finish()
        var input: [UInt8]?
        if let inputText {
            guard let decoded = Base64.decode(inputText) else { throw AgentError.invalidBase64 }
            input = decoded
        }
        let pid = processes.start(path: path, arguments: argv, input: input, capture: capture, now: time)
        return .object(["pid": .int(pid)])
    }

    func knowsUser(_ user: String) -> Bool {
        user == (profile.agent.isWindows ? "Administrator" : "root") || profile.users.contains { $0.name == user }
    }

    private func sshCommand(_ command: String, _ arguments: inout CommandArguments) throws(AgentError) -> JSONValue {
        let user = try arguments.string("username")
        let keys = command == "guest-ssh-get-authorized-keys" ? [] : try arguments.stringArray("keys")
        let reset = command == "guest-ssh-add-authorized-keys" ? try arguments.optionalBool("reset") ?? false : false
        try arguments.finish()
        guard knowsUser(user) else { throw .generic("failed to lookup user '\(user)': Success") }
        let home = user == "root" ? "/root" : "/home/\(user)"
        for key in keys where !Self.looksLikePublicKey(key) {
            throw .generic("invalid OpenSSH public key: '\(key)'")
        }
        switch command {
        case "guest-ssh-get-authorized-keys":
            guard let existing = authorizedKeys[user] else {
                throw .generic(
                    "failed to read '\(home)/.ssh/authorized_keys': Failed to open file \u{201C}\(home)/.ssh/authorized_keys\u{201D}: No such file or directory"
                )
            }
            return .object(["keys": .array(existing.map(JSONValue.string))])
        case "guest-ssh-add-authorized-keys":
            var existing = reset ? [] : authorizedKeys[user] ?? []
            for key in keys where !existing.contains(key) { existing.append(key) }
            authorizedKeys[user] = existing
            return .object(JSONObject())
        default:
            if var existing = authorizedKeys[user] {
                existing.removeAll { keys.contains($0) }
                authorizedKeys[user] = existing
            }
            return .object(JSONObject())
        }
    }

    /// `type base64 [comment]`, the shape qemu-ga checks for.
    static func looksLikePublicKey(_ key: String) -> Bool {
        let fields = key.split(separator: " ")
        return fields.count >= 2 && !key.contains("\n")
    }
}
