/// `guest-get-load` (qemu-ga 10.0; Windows agents 10.1 emulate it): the load averages.
public struct GuestLoadAverage: Codable, Sendable, Hashable {
    public var load1m: Double
    public var load5m: Double
    public var load15m: Double
}
