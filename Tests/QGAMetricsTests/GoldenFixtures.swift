@testable import QGAMetrics

/// A small set that exercises every encoder rule once: counter with unit, info, stateset,
/// unknown without help, escaping in help and label values, +Inf/-Inf/NaN, a timestamp,
/// label order kept inside a series, series and families given out of order.
enum GoldenFixtures {
    static let families: [MetricFamily] = [
        MetricFamily(
            name: "qga_temperature_celsius", help: "Line one.\nBack\\slash \"quoted\".", type: .gauge,
            unit: "celsius",
            samples: [
                Sample(labels: [Label("path", "plus")], value: .infinity),
                Sample(labels: [Label("path", "C:\\dir\n\"x\"")], value: 0.25, timestampMilliseconds: 1_700_000_000_123),
                Sample(labels: [Label("path", "minus")], value: -.infinity),
                Sample(labels: [Label("path", "nan")], value: .nan),
            ]),
        MetricFamily(
            name: "qga_disk_read_bytes", help: "Bytes read.", type: .counter, unit: "bytes",
            samples: [
                Sample(["guest": "vm2", "device": "vda"], 2048),
                Sample(["guest": "vm1", "device": "vda"], 1024),
            ]),
        MetricFamily(
            name: "qga_agent", help: "Agent version.", type: .info,
            samples: [Sample(["guest": "vm1", "version": "7.2.0"], 1)]),
        MetricFamily(
            name: "qga_fsfreeze_status", help: "Filesystem freeze state.", type: .stateset,
            samples: [
                Sample(["guest": "vm1", "qga_fsfreeze_status": "thawed"], 1),
                Sample(["guest": "vm1", "qga_fsfreeze_status": "frozen"], 0),
            ]),
        MetricFamily(name: "qga_mystery", help: "", type: .unknown, samples: [Sample(value: -3)]),
    ]

    static let prometheusText = #"""
        # HELP qga_agent_info Agent version.
        # TYPE qga_agent_info gauge
        qga_agent_info{guest="vm1",version="7.2.0"} 1
        # HELP qga_disk_read_bytes_total Bytes read.
        # TYPE qga_disk_read_bytes_total counter
        qga_disk_read_bytes_total{guest="vm1",device="vda"} 1024
        qga_disk_read_bytes_total{guest="vm2",device="vda"} 2048
        # HELP qga_fsfreeze_status Filesystem freeze state.
        # TYPE qga_fsfreeze_status gauge
        qga_fsfreeze_status{guest="vm1",qga_fsfreeze_status="frozen"} 0
        qga_fsfreeze_status{guest="vm1",qga_fsfreeze_status="thawed"} 1
        # TYPE qga_mystery untyped
        qga_mystery -3
        # HELP qga_temperature_celsius Line one.\nBack\\slash "quoted".
        # TYPE qga_temperature_celsius gauge
        qga_temperature_celsius{path="C:\\dir\n\"x\""} 0.25 1700000000123
        qga_temperature_celsius{path="minus"} -Inf
        qga_temperature_celsius{path="nan"} NaN
        qga_temperature_celsius{path="plus"} +Inf

        """#

    static let openMetrics = #"""
        # HELP qga_agent Agent version.
        # TYPE qga_agent info
        qga_agent_info{guest="vm1",version="7.2.0"} 1
        # HELP qga_disk_read_bytes Bytes read.
        # TYPE qga_disk_read_bytes counter
        # UNIT qga_disk_read_bytes bytes
        qga_disk_read_bytes_total{guest="vm1",device="vda"} 1024
        qga_disk_read_bytes_total{guest="vm2",device="vda"} 2048
        # HELP qga_fsfreeze_status Filesystem freeze state.
        # TYPE qga_fsfreeze_status stateset
        qga_fsfreeze_status{guest="vm1",qga_fsfreeze_status="frozen"} 0
        qga_fsfreeze_status{guest="vm1",qga_fsfreeze_status="thawed"} 1
        # TYPE qga_mystery unknown
        qga_mystery -3
        # HELP qga_temperature_celsius Line one.\nBack\\slash \"quoted\".
        # TYPE qga_temperature_celsius gauge
        # UNIT qga_temperature_celsius celsius
        qga_temperature_celsius{path="C:\\dir\n\"x\""} 0.25 1700000000.123
        qga_temperature_celsius{path="minus"} -Inf
        qga_temperature_celsius{path="nan"} NaN
        qga_temperature_celsius{path="plus"} +Inf
        # EOF

        """#
}

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

func encode(_ families: [MetricFamily], _ format: ExpositionFormat) -> String {
    text(ExpositionEncoder.encode(MetricSet(families), format: format))
}
