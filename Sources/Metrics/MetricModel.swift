/// The value model of one scrape: families of samples, built fresh on every poll and handed to
/// `MetricSet`, which normalizes them for the encoders.

/// The metric types we expose. Histograms and summaries are not needed by the exporter.
public enum MetricType: String, Sendable {
    case counter, gauge, info, stateset, unknown
}

/// One label of a series. Names are checked and sanitized by `MetricSet`, values may be any text.
public struct Label: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public init(_ name: String, _ value: String) {
        self.init(name: name, value: value)
    }
}

/// One series value. Labels keep the order they are given in; encoders sort nothing inside a series.
public struct Sample: Sendable {
    public var labels: [Label]
    public var value: Double
    public var timestampMilliseconds: Int64?

    public init(labels: [Label] = [], value: Double, timestampMilliseconds: Int64? = nil) {
        self.labels = labels
        self.value = value
        self.timestampMilliseconds = timestampMilliseconds
    }

    /// Convenience: `Sample(["guest": "vm1", "device": "vda"], 42)`.
    public init(_ labels: KeyValuePairs<String, String>, _ value: Double) {
        var built: [Label] = []
        built.reserveCapacity(labels.count)
        for (name, labelValue) in labels {
            built.append(Label(name: name, value: labelValue))
        }
        self.init(labels: built, value: value)
    }
}

/// One family. `name` is the base name: counters WITHOUT `_total`, info WITHOUT `_info`
/// (encoders add the suffixes; a trailing `_total`/`_info` given by mistake is stripped).
/// Stateset samples carry a label named like the family whose value is the state, value 0 or 1.
public struct MetricFamily: Sendable {
    public var name: String
    public var help: String
    public var type: MetricType
    /// For example "bytes" or "seconds"; must be the name's suffix (OpenMetrics `# UNIT`).
    public var unit: String?
    public var samples: [Sample]

    public init(name: String, help: String, type: MetricType, unit: String? = nil, samples: [Sample] = []) {
        self.name = name
        self.help = help
        self.type = type
        self.unit = unit
        self.samples = samples
    }
}

extension MetricType {
    /// The suffix every sample name of this type carries in both formats.
    var sampleSuffix: String {
        switch self {
        case .counter: "_total"
        case .info: "_info"
        case .gauge, .stateset, .unknown: ""
        }
    }

    /// The names OpenMetrics reserves for a family of this type (its parser rejects any clash).
    func reservedNames(base: String) -> [String] {
        switch self {
        case .counter: [base, base + "_total", base + "_created"]
        case .info: [base, base + "_info"]
        case .gauge, .stateset, .unknown: [base]
        }
    }
}

extension MetricFamily {
    /// The name every sample of this family carries, e.g. `foo_total` for counter `foo`.
    /// It is also the family name in the 0.0.4 format.
    var sampleName: String { name + type.sampleSuffix }
}
