import ArgumentParser
import Foundation
import QGASimulator

/// `qga-sim`: a fleet of simulated qemu-ga guests on unix sockets, for exercising the exporter
/// (and any other agent client) without VMs.
@main
struct QGASimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qga-sim",
        abstract: "Serve simulated QEMU guest agents, one unix socket per guest.",
        discussion: """
            Each guest listens on DIR/guest-0001.sock, DIR/guest-0002.sock, ... and speaks the \
            qemu-ga protocol with evolving, seeded payloads, as qemu-ga 7.2 on Linux unless --mix \
            gives it another agent: \
            --mix 'linux-7.2=40%,linux-10=30%,windows-new=15%,windows-old=10%,linux-old=5%' \
            or per guest, --mix 'guest-0001=windows-new,guest-0002=linux-old'; guests no entry \
            claims run linux-7.2. Profiles: \(AgentProfile.allCases.map(\.rawValue).joined(separator: ", ")) \
            (qemu-ga 7.2, qemu-ga 10.0, the virtio-win agent before and from 10.2, qemu-ga 2.12). \
            Faults: \
            --faults 'silent=5%,slow=5%,garbage=5%,stale=5%,disconnect=5%,oversize=5%,frozen=5%' \
            or per guest, --faults 'guest-0001=silent,guest-0002=slow+stale'. Modes: \
            \(FaultMode.allCases.map(\.rawValue).joined(separator: ", ")). The seed picks both the \
            agents and the faults. Stops on SIGINT/SIGTERM and removes its sockets.
            """)

    @Option(name: .long, help: "Number of guests.")
    var guests: Int

    @Option(name: .long, help: "Directory for the guest sockets (created if missing).")
    var dir: String

    @Option(name: .long, help: "Fault specification (see above).")
    var faults: String = ""

    @Option(name: .long, help: "Agent profiles, by share of the fleet or per guest (see above).")
    var mix: String = ""

    @Option(name: .long, help: "Seed for guests, their agents and faults.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Append every event (commands received, faults, connections) to this file as JSON lines.")
    var eventLog: String?

    @Option(name: .long, help: "Seconds a 'slow' guest adds to each reply.")
    var slowDelay: Double = 2

    @Option(name: .long, help: "Chance per reply that a garbage/stale/disconnect/oversize guest misbehaves (0...1).")
    var faultProbability: Double = 0.3

    @Option(name: .long, help: "Comma-separated commands to disable, like qemu-ga's -b.")
    var block: String = ""

    @Option(name: .long, help: "Event loop threads.")
    var threads: Int = min(4, ProcessInfo.processInfo.activeProcessorCount)

    func validate() throws {
        guard guests > 0 else { throw ValidationError("--guests must be at least 1") }
        guard (0...1).contains(faultProbability) else { throw ValidationError("--fault-probability must be within 0...1") }
        guard threads > 0 else { throw ValidationError("--threads must be at least 1") }
        do { _ = try FaultSpec(parsing: faults) } catch { throw ValidationError(error.description) }
        do { _ = try ProfileMix(parsing: mix) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        var configuration = SimulatedFleet.Configuration(guestCount: guests, directory: dir)
        configuration.seed = seed
        configuration.faults = try FaultSpec(parsing: faults)
        configuration.mix = try ProfileMix(parsing: mix)
        configuration.faultSettings.slowDelay = slowDelay
        configuration.faultSettings.probability = faultProbability
        configuration.guest.blockedCommands = Set(block.split(separator: ",").map(String.init))
        configuration.eventLogPath = eventLog
        configuration.threads = threads

        let started = Date()
        let fleet = try await SimulatedFleet.start(configuration)
        let faulty = fleet.faultAssignments.count
        print(
            "qga-sim: \(guests) guests in \(dir) (seed \(seed), \(faulty) with faults\(agentSummary(fleet))), started in "
                + String(format: "%.2f s", Date().timeIntervalSince(started)))
        fflush(nil)  // flush stdout: scripts wait for the "started" line
        await StopSignal.wait()
        try await fleet.stop()
        print("qga-sim: stopped")
    }

    /// ", agents linux-7.2 20, linux-10 15, ..." when --mix was given; nothing otherwise.
    private func agentSummary(_ fleet: SimulatedFleet) -> String {
        guard !mix.isEmpty else { return "" }
        let counts = AgentProfile.allCases.compactMap { profile -> String? in
            let count = fleet.profileAssignments.values.filter { $0 == profile }.count
            return count > 0 ? "\(profile.rawValue) \(count)" : nil
        }
        return ", agents " + counts.joined(separator: ", ")
    }
}
