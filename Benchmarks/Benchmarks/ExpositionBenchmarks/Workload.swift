import QGAMetrics

/// The benchmark's scrape: `families` families of `seriesPerFamily` series, 4 labels each,
/// half counters and half gauges, values half integral (bytes) and half fractional (seconds),
/// like the exporter's own. Label strings are made once; each build creates the family,
/// sample and label arrays afresh, as a poll cycle does.
struct Workload {
    let families: Int
    let seriesPerFamily: Int
    private let guests: [String]
    private let devices: [String]
    private let modes = ["user", "system", "idle", "iowait", "steal"]
    private let names: [String]

    var seriesCount: Int { families * seriesPerFamily }

    init(families: Int, seriesPerFamily: Int) {
        self.families = families
        self.seriesPerFamily = seriesPerFamily
        guests = (0..<max(1, seriesPerFamily / 10)).map { "guest-\($0).example.org" }
        devices = (0..<10).map { "vd\(Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8($0))))" }
        names = (0..<families).map { "qga_bench_family_\($0)_seconds" }
    }

    func labels(series: Int) -> [(String, String)] {
        [
            ("guest", guests[series / 10 % guests.count]),
            ("device", devices[series % 10]),
            ("mode", modes[series % modes.count]),
            ("instance", guests[series % guests.count]),
        ]
    }

    func value(family: Int, series: Int) -> Double {
        family % 2 == 0 ? Double(series * 4096) : Double(series) * 0.125 + 0.001
    }

    func name(family: Int) -> String { names[family] }

    func buildFamilies() -> [MetricFamily] {
        (0..<families).map { family in
            MetricFamily(
                name: names[family], help: "Benchmark family \(family).",
                type: family % 2 == 0 ? .counter : .gauge, unit: "seconds",
                samples: (0..<seriesPerFamily).map { series in
                    Sample(labels: labels(series: series).map { Label($0.0, $0.1) }, value: value(family: family, series: series))
                })
        }
    }
}
