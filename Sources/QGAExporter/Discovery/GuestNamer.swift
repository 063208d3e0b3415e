/// Derives a guest's name from its socket path: the first capture group of a rule's regex,
/// or else the file name without its extension.
struct GuestNamer: @unchecked Sendable {  // Regex is immutable after init; only read.
    private let regex: Regex<AnyRegexOutput>?

    init(pattern: String?) throws(ConfigProblem) {
        regex = try pattern.map { pattern throws(ConfigProblem) in try Self.compile(pattern) }
    }

    static func checkPattern(_ pattern: String) throws(ConfigProblem) {
        _ = try compile(pattern)
    }

    private static func compile(_ pattern: String) throws(ConfigProblem) -> Regex<AnyRegexOutput> {
        let regex: Regex<AnyRegexOutput>
        do { regex = try Regex(pattern) } catch {
            throw ConfigProblem("invalid regular expression \(pattern.debugDescription): \(error)")
        }
        return regex
    }

    /// nil when the regex does not match or captures nothing usable.
    func name(forPath path: String) -> String? {
        guard let regex else { return Self.fileStem(path) }
        guard let match = try? regex.firstMatch(in: path) else { return nil }
        let output = match.output
        let captured = output.count > 1 ? output[1].substring.map(String.init) : output[0].substring.map(String.init)
        guard let captured, !captured.isEmpty, (try? LabelRules.checkGuestName(captured)) != nil else { return nil }
        return captured
    }

    /// A libvirt domain's guest name: the domain name, or the regex's capture from it.
    /// nil when the regex does not match or the name is not a valid guest name.
    func name(forDomain domain: String) -> String? {
        if regex == nil { return (try? LabelRules.checkGuestName(domain)) != nil ? domain : nil }
        return name(forPath: domain)
    }

    static func fileStem(_ path: String) -> String? {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard !file.isEmpty else { return nil }
        if let dot = file.lastIndex(of: "."), dot != file.startIndex {
            return String(file[..<dot])
        }
        return file
    }
}
