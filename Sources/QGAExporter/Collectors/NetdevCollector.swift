import QGAMetrics
import QGAProtocol

/// `guest-network-get-interfaces`: interface counters (`statistics`, qemu-ga >= 2.11) and addresses.
struct NetdevCollector: ReplyCollector {
    let name = "netdev"
    let agentCommand = AgentCommand.networkGetInterfaces

    static let metrics: [TableMetric<GuestNetworkInterface>] = [
        .counter("qga_network_receive_bytes", "Network device statistic receive_bytes.", unit: "bytes") { $0.statistics?.rxBytes },
        .counter("qga_network_receive_packets", "Network device statistic receive_packets.") { $0.statistics?.rxPackets },
        .counter("qga_network_receive_errs", "Network device statistic receive_errs.") { $0.statistics?.rxErrs },
        .counter("qga_network_receive_drop", "Network device statistic receive_drop.") { $0.statistics?.rxDropped },
        .counter("qga_network_transmit_bytes", "Network device statistic transmit_bytes.", unit: "bytes") { $0.statistics?.txBytes },
        .counter("qga_network_transmit_packets", "Network device statistic transmit_packets.") { $0.statistics?.txPackets },
        .counter("qga_network_transmit_errs", "Network device statistic transmit_errs.") { $0.statistics?.txErrs },
        .counter("qga_network_transmit_drop", "Network device statistic transmit_drop.") { $0.statistics?.txDropped },
    ]

    static func families(_ interfaces: [GuestNetworkInterface], filters: FilterSet) -> [MetricFamily] {
        // Windows can list one adapter twice (one entry per address family); keep the first.
        var seen: Set<String> = []
        let kept = interfaces.filter { filters.netDevices.allows($0.name) && seen.insert($0.name).inserted }
        var families = Families.table(metrics, items: kept) { [Families.label("device", $0.name)] }

        let infos = kept.compactMap { interface -> Sample? in
            guard let hardware = interface.hardwareAddress else { return nil }
            return Sample(labels: [Families.label("device", interface.name), Families.label("address", hardware)], value: 1)
        }
        if !infos.isEmpty {
            families.append(MetricFamily(name: "qga_network", help: "Network interface hardware address.", type: .info, samples: infos))
        }
        var addresses: [Sample] = []
        var seenAddresses: Set<String> = []
        for interface in kept {
            for address in interface.ipAddresses ?? [] where seenAddresses.insert("\(interface.name)|\(address.ipAddress)").inserted {
                addresses.append(Sample(labels: [
                    Families.label("device", interface.name), Families.label("address", address.ipAddress),
                    Families.label("prefix", String(address.prefix)), Families.label("family", address.ipAddressType.rawValue),
                ], value: 1))
            }
        }
        if !addresses.isEmpty {
            families.append(MetricFamily(name: "qga_network_address", help: "IP addresses of the guest's network interfaces.",
                                         type: .info, samples: addresses))
        }
        return families
    }
}
