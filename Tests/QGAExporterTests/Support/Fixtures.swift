import Foundation
import QGAMetrics

/// Agent replies captured from the real qemu-ga (plus a few hand-made edge cases), by file name.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func decode<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONDecoder().decode(T.self, from: data)
    }
}

extension Array where Element == MetricFamily {
    func family(_ name: String) -> MetricFamily? { first { $0.name == name } }

    /// The value of the one sample of `name` whose labels include all of `labels`.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        guard let family = family(name) else { return nil }
        let matches = family.samples.filter { sample in
            labels.allSatisfy { key, value in sample.labels.contains { $0.name == key && $0.value == value } }
        }
        return matches.count == 1 ? matches[0].value : nil
    }

    func labelValues(_ name: String, label: String) -> Set<String> {
        Set(family(name)?.samples.compactMap { $0.labels.first { $0.name == label }?.value } ?? [])
    }
}
