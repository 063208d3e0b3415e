// Placeholder until the encoders land; see issue #3.
enum MetricsPlaceholder {}
