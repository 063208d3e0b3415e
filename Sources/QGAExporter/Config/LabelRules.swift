/// What a static label name or a guest name may be, so every series we emit stays valid.
enum LabelRules {
    /// Labels every series of ours already has, or that collectors set.
    static let reserved: Set<String> = [
        "guest", "collector", "device", "mountpoint", "fstype", "cpu", "mode", "address", "user",
        "domain", "version", "job", "instance", "domain_uuid",
    ]

    static func checkStaticLabelName(_ name: String) throws(ConfigProblem) {
        guard isValidLabelName(name) else {
            throw ConfigProblem("label name \(name.debugDescription) is not a valid Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)")
        }
        guard !name.hasPrefix("__") else {
            throw ConfigProblem("label names starting with __ are reserved by Prometheus")
        }
        guard !reserved.contains(name) else {
            throw ConfigProblem("label name \(name.debugDescription) is set by the exporter itself")
        }
    }

    static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }

    /// Guest names become label values and URL path segments: printable, no slashes.
    static func checkGuestName(_ name: String) throws(ConfigProblem) {
        guard !name.isEmpty, name.count <= 253 else { throw ConfigProblem("guest names must be 1 to 253 characters") }
        guard !name.contains("/"), name.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw ConfigProblem("guest name \(name.debugDescription) must not contain '/' or control characters")
        }
    }
}
