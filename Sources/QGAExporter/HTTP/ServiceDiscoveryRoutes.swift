import Foundation
import Hummingbird
import QGAMetrics

/// `/sd`: Prometheus HTTP service discovery, one target per guest, for the `/probe` pattern.
enum ServiceDiscoveryRoutes {
    struct TargetGroup: Encodable {
        var targets: [String]
        var labels: [String: String]
    }

    static func add(to router: Router<BasicRequestContext>, store: SnapshotStore, hypervisor: String) {
        router.get("/sd") { _, _ -> Response in
            let groups = targetGroups(store.reports(), hypervisor: hypervisor)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = (try? encoder.encode(groups)) ?? Data("[]".utf8)
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: .init(bytes: data)))
        }
    }

    static func targetGroups(_ reports: [GuestReport], hypervisor: String) -> [TargetGroup] {
        reports.map { report in
            var labels = [
                "__meta_qga_guest": report.name, "__meta_qga_hypervisor": hypervisor,
                "__meta_qga_state": report.state.rawValue, "__meta_qga_source": report.source,
            ]
            for label in report.labels { labels["__meta_qga_label_\(label.name)"] = label.value }
            return TargetGroup(targets: [report.name], labels: labels)
        }
    }
}
