import Foundation
import QGATestSupport
import Testing

@testable import QGAProtocol

/// A fake agent script that answers `guest-sync` (echo of `arguments.id`) through a seeded mix
/// of faults: stale and foreign replies, id-less replies, garbage, partial JSON, late replies,
/// dropped replies, stray 0xFF, disconnects and replies split across writes.
final class ChaosScript: @unchecked Sendable {
    private let lock = NSLock()
    private var random: SeededGenerator
    private var previous: (idJSON: String, value: Int64)?
    private let lateBy: ClosedRange<Int>

    init(seed: UInt64, lateBy: ClosedRange<Int>) {
        random = SeededGenerator(seed: seed)
        self.lateBy = lateBy
    }

    func respond(_ request: FakeAgent.Request) -> [FakeAgent.Action] {
        lock.withLock { unlockedRespond(request) }
    }

    private func unlockedRespond(_ request: FakeAgent.Request) -> [FakeAgent.Action] {
        if request.command == "guest-sync-delimited" {
            // Noise before the sync reply must be skipped by the sync.
            switch Int.random(in: 0..<10, using: &random) {
            case 0: return [.raw(Array("garbage before sync\n".utf8)), .syncDelimitedReply]
            case 1: return [.raw(Array("{\"return\": 5, \"id\": 1}\n".utf8)), .syncDelimitedReply]
            default: return [.syncDelimitedReply]
            }
        }
        guard request.command == "guest-sync", let value = request.syncID, let id = request.idJSON else {
            return FakeAgent.standard(request)
        }
        defer { previous = (id, value) }
        let correct = Array("{\"return\": \(value), \"id\": \(id)}\n".utf8)
        let stale = previous.map { Array("{\"return\": \($0.value), \"id\": \($0.idJSON)}\n".utf8) } ?? []
        let roll = Int.random(in: 0..<100, using: &random)
        switch roll {
        case 0..<55:
            return [.raw(correct)]
        case 55..<63:
            return [.raw(stale), .raw(correct)]
        case 63..<70:
            let foreign = Int64.random(in: 1...Int64.max, using: &random)
            return [.raw(Array("{\"return\": \(foreign), \"id\": \(foreign)}\n".utf8)), .raw(correct)]
        case 70..<76:
            return [.raw(Array("{\"return\": \(value &+ 1)}\n".utf8)), .raw(correct)]
        case 76..<81:
            return [.raw(Array("}}not json{{\n".utf8)), .raw(correct)]
        case 81..<85:
            return [.delay(.milliseconds(Int.random(in: lateBy, using: &random))), .raw(correct)]
        case 85..<89:
            return []
        case 89..<92:
            return [.raw(Array("{\"return\": {\"par".utf8)), .raw(correct)]
        case 92..<95:
            return [.raw([0xFF]), .raw(correct), .raw([0xFF])]
        case 95..<97:
            return [.raw(Array(correct.prefix(correct.count / 2))), .disconnect]
        default:
            let cut = Int.random(in: 1..<correct.count, using: &random)
            return [.raw(Array(correct[..<cut])), .delay(.milliseconds(1)), .raw(Array(correct[cut...]))]
        }
    }
}

struct ExchangeTally {
    var correct = 0
    var misattributed = 0
    var failures: [AgentError.Kind: Int] = [:]
    var total: Int { correct + misattributed + failures.values.reduce(0, +) }

    mutating func merge(_ other: ExchangeTally) {
        correct += other.correct
        misattributed += other.misattributed
        failures.merge(other.failures, uniquingKeysWith: +)
    }
}

@Suite struct RandomizedExchangeTests {
    /// At least 10,000 exchanges (QGA_RANDOMIZED_EXCHANGES raises it); QGA_RANDOMIZED_SEED
    /// replays a run.
    @Test func noReplyIsEverMisattributed() async throws {
        let environment = ProcessInfo.processInfo.environment
        let total = max(10_000, environment["QGA_RANDOMIZED_EXCHANGES"].flatMap(Int.init) ?? 10_000)
        let seed = environment["QGA_RANDOMIZED_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        print("randomized exchanges: \(total), seed \(seed) (QGA_RANDOMIZED_SEED=\(seed) replays the fault sequence)")

        let agentCount = 4
        let callersPerAgent = 2
        let perCaller = (total + agentCount * callersPerAgent - 1) / (agentCount * callersPerAgent)
        let deadline = 40
        let options = AgentClientOptions(
            syncTimeout: .milliseconds(1000), commandTimeout: .milliseconds(deadline))

        let tally = try await withThrowingTaskGroup(of: ExchangeTally.self) { group in
            for agentIndex in 0..<agentCount {
                let chaos = ChaosScript(seed: seed &+ UInt64(agentIndex), lateBy: (deadline + 5)...(deadline + 30))
                // Short sessions (the default) over a virtio-serial-like agent: what one session
                // left unread is the next session's first input.
                let agent = try await FakeAgent.start(keepsUndeliveredOutput: true) { chaos.respond($0) }
                let client = AgentClient(address: .unix(path: agent.socketPath), options: options)
                group.addTask {
                    let tally = try await withThrowingTaskGroup(of: ExchangeTally.self) { callers in
                        for caller in 0..<callersPerAgent {
                            callers.addTask {
                                var tally = ExchangeTally()
                                for exchange in 0..<perCaller {
                                    // Unique per call, so any misrouted reply is visible.
                                    let value = Int64(agentIndex) << 40 | Int64(caller) << 32 | Int64(exchange)
                                    do throws(AgentError) {
                                        let answer = try await client.call(.sync, SyncArguments(id: value))
                                        if answer == value { tally.correct += 1 } else { tally.misattributed += 1 }
                                    } catch {
                                        tally.failures[error.kind, default: 0] += 1
                                    }
                                }
                                return tally
                            }
                        }
                        var combined = ExchangeTally()
                        for try await part in callers { combined.merge(part) }
                        return combined
                    }
                    await client.close()
                    await agent.stop()
                    return tally
                }
            }
            var combined = ExchangeTally()
            for try await part in group { combined.merge(part) }
            return combined
        }

        let failures = tally.failures.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue)=\($0.value)" }
        print("randomized result: correct=\(tally.correct) misattributed=\(tally.misattributed) \(failures.joined(separator: " "))")
        #expect(tally.total >= total)
        #expect(tally.misattributed == 0, "a reply answered the wrong call (seed \(seed))")
        #expect(tally.correct > tally.total / 2, "most exchanges get through the faults")
        let expectedKinds: Set<AgentError.Kind> = [.timeout, .protocolViolation, .disconnected]
        #expect(Set(tally.failures.keys).isSubset(of: expectedKinds))
    }
}
