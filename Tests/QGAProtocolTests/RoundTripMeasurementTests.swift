import QGATestSupport
import Testing

@testable import QGAProtocol

/// Measures round trips against the real agent and PRINTS them: speed is reported, not asserted.
@Suite(.serialized, .enabled(if: RealAgent.isInstalled, "qemu-ga is not installed; scripts/install-test-deps installs it"))
struct RoundTripMeasurementTests {
    static func median(_ samples: [Duration]) -> Duration {
        samples.sorted()[samples.count / 2]
    }

    static func percentile(_ samples: [Duration], _ fraction: Double) -> Duration {
        let sorted = samples.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }

    static func microseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return "\(seconds * 1_000_000 + attoseconds / 1_000_000_000_000) µs"
    }

    @Test func medianRoundTripOfPingAndDiskstats() async throws {
        try await withRealAgent { (client, _) async throws in
            let calls = 1000
            let clock = ContinuousClock()
            try await client.call(.ping)  // connect and sync outside the measurement
            var ping: [Duration] = []
            var diskstats: [Duration] = []
            for _ in 0..<calls {
                ping.append(try await clock.measure { try await client.call(.ping) })
            }
            var disks = 0
            for _ in 0..<calls {
                diskstats.append(try await clock.measure { disks = try await client.call(.getDiskStats).count })
            }
            #expect(ping.count == calls && diskstats.count == calls)
            #expect(disks > 0)
            print(
                "round trip over \(calls) calls against qemu-ga: guest-ping median \(Self.microseconds(Self.median(ping))) p90 \(Self.microseconds(Self.percentile(ping, 0.9))); guest-get-diskstats (\(disks) disks) median \(Self.microseconds(Self.median(diskstats))) p90 \(Self.microseconds(Self.percentile(diskstats, 0.9)))"
            )
        }
    }
}
