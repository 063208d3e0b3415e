import QGAMetrics

/// Adds `guest` and the static labels to every sample of a guest's families, with each sample's
/// labels sorted by name (as client_golang writes them, and as the encoder's series order wants
/// them, so it needs no copy per series), and the families sorted by name.
enum GuestLabels {
    static func attach(_ families: [MetricFamily], guest: String,
                       staticLabels extra: [Label]) -> [MetricFamily] {
        let guestLabel = Label(name: "guest", value: guest)
        return families.map { family in
            var family = family
            family.samples = family.samples.map { sample in
                var sample = sample
                var labels: [Label] = []
                labels.reserveCapacity(sample.labels.count + 1 + extra.count)
                labels.append(guestLabel)
                labels += sample.labels
                labels += extra
                labels.sort { $0.name < $1.name }
                sample.labels = labels
                return sample
            }
            return family
        }.sorted { $0.name < $1.name }
    }
}
