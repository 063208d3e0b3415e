/// `guest-get-load` (qemu-ga 10.0; Windows agents 10.1 emulate it): the load averages.
public struct GuestLoadAverage: Codable, Sendable, Hashable {
    public var load1m: Double
    public var load5m: Double
    public var load15m: Double

    public init(load1m: Double, load5m: Double, load15m: Double) {
        self.load1m = load1m
        self.load5m = load5m
        self.load15m = load15m
    }
}
