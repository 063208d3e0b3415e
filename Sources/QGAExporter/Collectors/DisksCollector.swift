import QGAMetrics
import QGAProtocol

/// `guest-get-disks` (qemu-ga 5.2 and later): one info series per disk (device, serial, bus),
/// which `qga_filesystem_disk_info` links filesystems to, and NVMe health from the `smart` member
/// (qemu-ga 7.1 and later, Linux) as smartctl_exporter names its NVMe values.
struct DisksCollector: EntryCollector {
    let name = "disks"
    let agentCommand = AgentCommand.getDisks

    /// Only what this collector reads; any other member, missing or odd, is no concern of it.
    struct Disk: Decodable, Sendable {
        struct Address: Decodable, Sendable {
            var busType: String?
            enum CodingKeys: String, CodingKey { case busType = "bus-type" }
        }

        /// NVMe SMART / health log. 128-bit counters come as `-lo` and `-hi` 64-bit halves.
        struct Smart: Decodable, Sendable {
            var type: String?
            var criticalWarning: UInt64?
            /// Kelvin, as the NVMe log page gives it.
            var temperature: UInt64?
            /// Percent.
            var availableSpare: UInt64?
            var availableSpareThreshold: UInt64?
            var percentageUsed: UInt64?
            var mediaErrorsLo: UInt64?
            var mediaErrorsHi: UInt64?
            var powerOnHoursLo: UInt64?
            var powerOnHoursHi: UInt64?
            var unsafeShutdownsLo: UInt64?
            var unsafeShutdownsHi: UInt64?

            enum CodingKeys: String, CodingKey {
                case type
                case criticalWarning = "critical-warning"
                case temperature
                case availableSpare = "available-spare"
                case availableSpareThreshold = "available-spare-threshold"
                case percentageUsed = "percentage-used"
                case mediaErrorsLo = "media-errors-lo", mediaErrorsHi = "media-errors-hi"
                case powerOnHoursLo = "power-on-hours-lo", powerOnHoursHi = "power-on-hours-hi"
                case unsafeShutdownsLo = "unsafe-shutdowns-lo", unsafeShutdownsHi = "unsafe-shutdowns-hi"
            }

            static func wide(_ lo: UInt64?, _ hi: UInt64?) -> Double? {
                guard let lo else { return nil }
                return Double(lo) + Double(hi ?? 0) * 18_446_744_073_709_551_616.0
            }
        }

        var name: String
        var partition: Bool?
        var serial: String?
        var address: Address?
        var smart: Smart?
    }

    static let health: [TableMetric<(device: String, smart: Disk.Smart)>] = [
        TableMetric(name: "qga_nvme_critical_warning", help: "NVMe critical warning bits (0: none).", type: .gauge, unit: nil) {
            $0.smart.criticalWarning.map(Double.init)
        },
        TableMetric(name: "qga_nvme_temperature_celsius", help: "NVMe composite temperature.", type: .gauge, unit: "celsius") {
            $0.smart.temperature.map { Double($0) - 273 }
        },
        TableMetric(name: "qga_nvme_available_spare_ratio", help: "NVMe remaining spare capacity.", type: .gauge, unit: "ratio") {
            $0.smart.availableSpare.map { Double($0) / 100 }
        },
        TableMetric(name: "qga_nvme_available_spare_threshold_ratio", help: "NVMe spare capacity below which the drive warns.",
                    type: .gauge, unit: "ratio") { $0.smart.availableSpareThreshold.map { Double($0) / 100 } },
        TableMetric(name: "qga_nvme_percentage_used_ratio", help: "NVMe estimate of the rated life used (1: all; may exceed 1).",
                    type: .gauge, unit: "ratio") { $0.smart.percentageUsed.map { Double($0) / 100 } },
        TableMetric(name: "qga_nvme_media_errors", help: "NVMe unrecovered data integrity errors.", type: .counter, unit: nil) {
            Disk.Smart.wide($0.smart.mediaErrorsLo, $0.smart.mediaErrorsHi)
        },
        // The drive counts hours; Prometheus' base unit is the second.
        TableMetric(name: "qga_nvme_power_on_seconds", help: "NVMe time powered on (counted in hours by the drive).",
                    type: .counter, unit: "seconds") {
            Disk.Smart.wide($0.smart.powerOnHoursLo, $0.smart.powerOnHoursHi).map { $0 * 3600 }
        },
        TableMetric(name: "qga_nvme_unsafe_shutdowns", help: "NVMe shutdowns without notice.", type: .counter, unit: nil) {
            Disk.Smart.wide($0.smart.unsafeShutdownsLo, $0.smart.unsafeShutdownsHi)
        },
    ]

    static func families(_ disks: [Disk], filters: FilterSet = .defaults) -> [MetricFamily] {
        let whole = disks.filter { $0.partition != true }
        var families: [MetricFamily] = []
        let info = whole.map { disk in
            Sample(labels: [Families.label("bus_type", disk.address?.busType ?? ""), Families.label("device", disk.name),
                            Families.label("serial", disk.serial ?? "")], value: 1)
        }
        if !info.isEmpty {
            families.append(MetricFamily(name: "qga_disk", help: "A disk of the guest: its device, serial and bus.", type: .info, samples: info))
        }
        let nvme = whole.compactMap { disk in disk.smart.flatMap { $0.type == "nvme" ? (device: disk.name, smart: $0) : nil } }
        families += Families.table(health, items: nvme) { [Families.label("device", $0.device)] }
        return families
    }
}
