import QGAMetrics
import QGAProtocol

/// `guest-network-get-route` (qemu-ga 9.1 and later, Linux): the default routes (gateway and
/// device) and how many routes the table holds. Off by default: a guest that routes for others
/// has a table of thousands, and most operators only want to know where its traffic leaves.
struct RoutesCollector: EntryCollector {
    let name = "routes"
    let agentCommand = AgentCommand.networkGetRoute
    /// At most this many default routes are reported (one per address family is usual).
    static let maxDefaultRoutes = 16

    struct Route: Decodable, Sendable {
        var iface: String
        var destination: String
        var gateway: String?
        var nexthop: String?
        var desprefixlen: String?
        var mask: String?
        var version: Int?
    }

    /// 0.0.0.0/0 (IPv4, `mask` 0.0.0.0) or ::/0 (IPv6, prefix length 0).
    static func isDefault(_ route: Route) -> Bool {
        if route.version == 6 || route.destination.contains(":") {
            return route.destination == "::" && (route.desprefixlen ?? "0") == "0"
        }
        return route.destination == "0.0.0.0" && (route.mask ?? "0.0.0.0") == "0.0.0.0"
    }

    static func families(_ routes: [Route], filters: FilterSet = .defaults) -> [MetricFamily] {
        var seen: Set<String> = []
        let defaults = routes.filter(isDefault).compactMap { route -> Sample? in
            let gateway = route.gateway ?? route.nexthop ?? ""
            guard seen.insert("\(route.iface)|\(gateway)").inserted else { return nil }
            return Sample(labels: [Families.label("destination", route.destination), Families.label("device", route.iface),
                                   Families.label("gateway", gateway)], value: 1)
        }.prefix(maxDefaultRoutes)
        var families = [Families.gauge("qga_routes", "Routes in the guest's routing table.", [Sample(labels: [], value: Double(routes.count))])]
        if !defaults.isEmpty {
            families.append(MetricFamily(name: "qga_route", help: "A default route of the guest: where its traffic leaves.",
                                         type: .info, samples: Array(defaults)))
        }
        return families
    }
}
