import QGAMetrics

/// Puts `guest` first and the static labels last on every sample of a guest's families, and sorts
/// them, so merging many guests is a cheap concatenation in guest-name order.
enum GuestLabels {
    static func attach(_ families: [MetricFamily], guest: String,
                       staticLabels: [(name: String, value: String)]) -> [MetricFamily] {
        let guestLabel = Label(name: "guest", value: guest)
        let extra = staticLabels.map { Label(name: $0.name, value: $0.value) }
        return families.map { family in
            var family = family
            family.samples = family.samples.map { sample in
                var sample = sample
                var labels: [Label] = []
                labels.reserveCapacity(sample.labels.count + 1 + extra.count)
                labels.append(guestLabel)
                labels += sample.labels
                labels += extra
                sample.labels = labels
                return sample
            }
            return family
        }.sorted { $0.name < $1.name }
    }
}
