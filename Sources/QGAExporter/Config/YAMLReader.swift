import Yams

/// Walks a composed YAML tree and turns every type or value problem into a `ConfigError` that
/// names the file, the line and the dotted key path.
struct YAMLReader {
    let file: String
    let node: Node
    let path: String

    var line: Int? { node.mark?.line }

    func error(_ message: String) -> ConfigError {
        ConfigError(file: file, line: line, key: path, message: message)
    }

    func child(_ key: String, _ value: Node) -> YAMLReader {
        YAMLReader(file: file, node: value, path: path.isEmpty ? key : "\(path).\(key)")
    }

    /// The mapping's entries, refusing keys not in `allowed` (a typo should not pass silently).
    func mapping(allowed: Set<String>? = nil) throws(ConfigError) -> [(key: String, value: YAMLReader)] {
        guard case .mapping(let mapping) = node else {
            if isNull { return [] }
            throw error("expected a mapping of keys to values")
        }
        var entries: [(key: String, value: YAMLReader)] = []
        var seen: Set<String> = []
        for (keyNode, valueNode) in mapping {
            let keyReader = YAMLReader(file: file, node: keyNode, path: path)
            guard let key = keyNode.string else { throw keyReader.error("keys must be strings") }
            if let allowed, !allowed.contains(key) {
                let known = allowed.sorted().joined(separator: ", ")
                throw child(key, keyNode).error("unknown key (known keys here: \(known))")
            }
            if !seen.insert(key).inserted { throw child(key, keyNode).error("key given twice") }
            entries.append((key, child(key, valueNode)))
        }
        return entries
    }

    func sequence() throws(ConfigError) -> [YAMLReader] {
        guard case .sequence(let sequence) = node else {
            if isNull { return [] }
            throw error("expected a list")
        }
        return sequence.enumerated().map { index, item in
            YAMLReader(file: file, node: item, path: "\(path)[\(index)]")
        }
    }

    var isNull: Bool {
        if case .scalar(let scalar) = node { return scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" }
        return false
    }

    func string() throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a single value") }
        return scalar.string
    }

    func nonEmptyString() throws(ConfigError) -> String {
        let value = try string()
        guard !value.isEmpty else { throw error("must not be empty") }
        return value
    }

    func bool() throws(ConfigError) -> Bool {
        guard let value = node.bool else { throw error("expected true or false, got \(describe())") }
        return value
    }

    func int(in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let value = node.int else { throw error("expected a whole number, got \(describe())") }
        guard range.contains(value) else {
            throw error("\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    func double(in range: ClosedRange<Double>) throws(ConfigError) -> Double {
        guard let value = node.float ?? node.int.map(Double.init) else {
            throw error("expected a number, got \(describe())")
        }
        guard range.contains(value) else { throw error("\(value) is out of range \(range)") }
        return value
    }

    func duration(minimum: Duration = .milliseconds(1)) throws(ConfigError) -> Duration {
        let text = try string()
        guard let value = PrometheusDuration.parse(text) else {
            throw error("invalid duration \(text.debugDescription) (use Prometheus syntax, e.g. 15s, 1m30s, 500ms)")
        }
        guard value >= minimum else {
            throw error("\(text) is too short (at least \(PrometheusDuration.format(minimum)))")
        }
        return value
    }

    func stringMap() throws(ConfigError) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in try mapping() {
            result[key] = try value.string()
        }
        return result
    }

    func stringList() throws(ConfigError) -> [String] {
        var result: [String] = []
        for item in try sequence() { result.append(try item.nonEmptyString()) }
        return result
    }

    /// Runs a check that knows nothing of files and lines, and places its complaint here.
    func check<T>(_ body: () throws(ConfigProblem) -> T) throws(ConfigError) -> T {
        do { return try body() } catch { throw self.error(error.message) }
    }

    private func describe() -> String {
        if case .scalar(let scalar) = node { return scalar.string.debugDescription }
        return "a \(node.isMapping ? "mapping" : "list")"
    }
}

private extension Node {
    var isMapping: Bool { if case .mapping = self { return true } else { return false } }
}
