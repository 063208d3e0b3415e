import Foundation
import HTTPTypes
import Logging
import QGAProtocol
import Synchronization

/// Thaws a guest's filesystems when nobody else does in time.
///
/// A frozen guest blocks every write in it; a backup tool that dies between freeze and thaw
/// must not leave it so. The guard is armed *before* the freeze is sent (a freeze that times
/// out may still have happened), re-armed when it succeeds, and disarmed by a successful thaw
/// or a freeze the agent refused. When the time is up it thaws, retrying a few times, and
/// writes the outcome to the audit log. On shutdown every armed guest is thawed at once.
final class FreezeGuard: Sendable {
    typealias Thaw = @Sendable (_ guest: String, _ timeout: Duration) async throws(AgentError) -> Int

    private struct Timer {
        var id: UUID
        var deadline: Date
        var timeout: Duration
        var task: Task<Void, Never>
    }

    static let retries = 3
    static let retryPause: Duration = .seconds(2)

    private let timers = Mutex<[String: Timer]>([:])
    private let thaw: Thaw
    private let logger: Logger
    private let audit: AuditLog

    init(logger: Logger, audit: AuditLog, thaw: @escaping Thaw) {
        self.logger = logger
        self.audit = audit
        self.thaw = thaw
    }

    /// (Re)starts the guest's countdown; returns when it will thaw.
    @discardableResult
    func arm(guest: String, after delay: Duration, timeout: Duration) -> Date {
        let id = UUID()
        let deadline = Date().addingTimeInterval(Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
        let task = Task { [self] in
            do { try await Task.sleep(for: delay) } catch { return }
            await fire(guest: guest, id: id, timeout: timeout)
        }
        let previous = timers.withLock { timers in
            defer { timers[guest] = Timer(id: id, deadline: deadline, timeout: timeout, task: task) }
            return timers[guest]
        }
        previous?.task.cancel()
        return deadline
    }

    /// Runs a freeze under guard: armed before it is sent (a freeze that times out may still
    /// happen), re-armed from the moment it succeeds, dropped when the agent refused it and no
    /// earlier freeze was being guarded.
    func guarding<T: Sendable>(_ guest: String, settings: ControlSettings,
                               _ freeze: () async throws(APIError) -> T) async throws(APIError) -> (result: T, thawAt: Date) {
        let wasArmed = deadline(for: guest) != nil
        arm(guest: guest, after: settings.freezeAutoThaw, timeout: settings.commandTimeout)
        do {
            let result = try await freeze()
            return (result, arm(guest: guest, after: settings.freezeAutoThaw, timeout: settings.commandTimeout))
        } catch {
            if error.agentClass != nil && !wasArmed { disarm(guest: guest) }
            throw error
        }
    }

    func disarm(guest: String) {
        timers.withLock { $0.removeValue(forKey: guest) }?.task.cancel()
    }

    /// When the guest's automatic thaw is due, if one is armed.
    func deadline(for guest: String) -> Date? {
        timers.withLock { $0[guest]?.deadline }
    }

    /// Shutdown: thaw every armed guest now rather than leave it frozen without a guard.
    func thawAll() async {
        let armed = timers.withLock { timers in
            defer { timers.removeAll() }
            return timers
        }
        for (guest, timer) in armed.sorted(by: { $0.key < $1.key }) {
            timer.task.cancel()
            _ = await attempt(guest: guest, timeout: timer.timeout, reason: "shutdown")
        }
    }

    private func fire(guest: String, id: UUID, timeout: Duration) async {
        for round in 1...Self.retries {
            // A thaw or a new freeze since we were armed takes over.
            guard timers.withLock({ $0[guest]?.id == id }), !Task.isCancelled else { return }
            if await attempt(guest: guest, timeout: timeout, reason: "no thaw arrived in time") {
                timers.withLock { timers in
                    if timers[guest]?.id == id { timers.removeValue(forKey: guest) }
                }
                return
            }
            if round < Self.retries {
                do { try await Task.sleep(for: Self.retryPause) } catch { return }
            }
        }
        logger.critical("automatic thaw failed: the guest may still be frozen", metadata: ["guest": "\(guest)"])
    }

    /// One thaw, logged and audited; true when the agent confirmed it.
    private func attempt(guest: String, timeout: Duration, reason: String) async -> Bool {
        let started = ContinuousClock.now
        var status = 200
        var errorKind: String?
        do {
            let count = try await thaw(guest, timeout)
            logger.warning("automatic thaw", metadata: ["guest": "\(guest)", "reason": "\(reason)", "filesystems": "\(count)"])
        } catch {
            status = APIError(error).status.code
            errorKind = error.kind.rawValue
            logger.error("automatic thaw failed", metadata: ["guest": "\(guest)", "error": "\(error)"])
        }
        let elapsed = ContinuousClock.now - started
        audit.record(AuditEntry(
            time: AuditLog.timestamp(), principal: "auto-thaw", auth: "timer", remote: "-", method: "-", path: "-",
            guest: guest, command: AgentCommand.fsfreezeThaw.name, status: status, outcome: AuditEntry.outcome(for: status),
            errorKind: errorKind,
            durationSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        return status == 200
    }
}
