import FuzzSupport

/// A config text either parses into a config the exporter can run with, or is refused with a
/// `ConfigError` that names the file and says what is wrong. "Can run with" means the steps
/// the exporter takes after loading (some with `try!`) cannot fail.
enum ConfigCheck {
    static let file = "fuzz.yml"

    static func run(_ text: String) {
        do {
            checkAccepted(try ConfigLoader.parse(text, file: file))
        } catch {
            checkRefusal(error, text: text)
        }
    }

    private static func checkRefusal(_ error: ConfigError, text: String) {
        require(error.file == file, "the error names \(error.file.debugDescription), not the file")
        require(!error.message.isEmpty, "an error without a message: \(error)")
        if let line = error.line {
            // libyaml breaks lines at \n, \r, NEL, LS and PS; allow one more for a final mark.
            let breaks = text.unicodeScalars.count { [0x0A, 0x0D, 0x85, 0x2028, 0x2029].contains($0.value) }
            require(line >= 0 && line <= breaks + 2, "line \(line) of a text with \(breaks) line breaks")
        }
    }

    private static func checkAccepted(_ config: ExporterConfig) {
        // Exporter.start and reload build these with `try!` or fail the reload.
        must("filters compile") { () throws(ConfigProblem) in _ = try FilterSet(config.filters) }
        for rule in config.discovery {
            must("discovery name_regex compiles") { () throws(ConfigProblem) in _ = try GuestNamer(pattern: rule.nameRegex) }
            checkLabels(rule.labels)
            checkOverrides(rule.overrides)
        }
        var names: Set<String> = []
        for guest in config.guests {
            require(names.insert(guest.name).inserted, "guest name \(guest.name.debugDescription) accepted twice")
            must("guest name is valid") { () throws(ConfigProblem) in try LabelRules.checkGuestName(guest.name) }
            checkLabels(guest.labels)
            checkOverrides(guest.overrides)
        }
        checkLabels(config.labels)
        require(config.poll.interval >= .milliseconds(100) && config.poll.timeout >= .milliseconds(10),
                "poll interval \(config.poll.interval) or timeout \(config.poll.timeout) below the minimum")
        require((1...100_000).contains(config.poll.concurrency) && (0...1).contains(config.poll.jitter),
                "concurrency \(config.poll.concurrency) or jitter \(config.poll.jitter) out of range")
        for duration in [config.poll.interval, config.poll.timeout, config.discoveryInterval,
                         config.control.commandTimeout, config.control.execTimeout, config.control.freezeAutoThaw] {
            checkRoundTrip(duration)
        }
        if let address = config.control.listenAddress {
            must("control address parses") { () throws(ConfigProblem) in _ = try ControlAddress.parse(address) }
        }
        for entries in config.control.allow.values {
            must("allow entries are valid") { () throws(ConfigProblem) in try CommandPolicy.checkEntries(entries) }
        }
    }

    private static func checkLabels(_ labels: [String: String]) {
        for name in labels.keys {
            must("label name is valid") { () throws(ConfigProblem) in try LabelRules.checkStaticLabelName(name) }
        }
    }

    private static func checkOverrides(_ overrides: GuestOverrides) {
        for duration in [overrides.interval, overrides.timeout].compactMap({ $0 }) {
            require(duration >= .milliseconds(10), "override \(duration) below the minimum")
            checkRoundTrip(duration)
        }
    }

    /// The exporter prints durations with `format`; reading one back must give the same.
    private static func checkRoundTrip(_ duration: Duration) {
        let text = PrometheusDuration.format(duration)
        require(PrometheusDuration.parse(text) == duration, "\(duration) prints as \(text), which reads back differently")
    }

    private static func must(_ what: String, _ body: () throws(ConfigProblem) -> Void) {
        do { try body() } catch { fatalError("invariant broken: accepted config, but \(what) fails: \(error.message)") }
    }
}
