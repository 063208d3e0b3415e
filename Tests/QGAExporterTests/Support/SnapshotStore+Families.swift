import QGAMetrics

@testable import QGAExporter

extension SnapshotStore {
    /// A guest's families as `/metrics` exposes them, decoded back from the stored text: for
    /// tests, which look at values; the exporter itself never decodes what it encoded.
    func families(named name: String) -> [MetricFamily]? {
        exposition(named: name, module: .qga)?.decodedFamilies()
    }
}
