import Foundation
import QGASimulator

/// Runs `body` against a freshly started fleet in its own directory, then stops it.
func withFleet<Result>(
    guests: Int = 3, configure: (inout SimulatedFleet.Configuration) -> Void = { _ in },
    _ body: (SimulatedFleet) async throws -> Result
) async throws -> Result {
    let directory = try TemporaryDirectory.make(prefix: "qga-sim")
    var configuration = SimulatedFleet.Configuration(guestCount: guests, directory: directory.path)
    configuration.threads = 1
    configure(&configuration)
    let fleet = try await SimulatedFleet.start(configuration)
    do {
        let result = try await body(fleet)
        try await fleet.stop()
        try? FileManager.default.removeItem(at: directory)
        return result
    } catch {
        try? await fleet.stop()
        try? FileManager.default.removeItem(at: directory)
        throw error
    }
}

/// Collects events from a fleet's callback, safely across threads.
final class EventRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [SimulatorEvent] = []

    var events: [SimulatorEvent] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    func record(_ event: SimulatorEvent) {
        lock.lock()
        recorded.append(event)
        lock.unlock()
    }
}
