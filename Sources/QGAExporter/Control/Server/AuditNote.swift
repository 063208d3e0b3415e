import Hummingbird
import NIOCore
import Synchronization

/// What a request did, as far as the audit log cares. A class: the handler's context is a copy.
final class AuditNote: Sendable {
    struct Fields: Sendable {
        var principal: Principal?
        var claimedUser: String?
        var guest: String?
        var command: String?
        /// Where the error came from (agent error class or kind), for the log.
        var errorKind: String?
    }

    private let fields = Mutex(Fields())

    var current: Fields { fields.withLock { $0 } }

    func update(_ change: (inout Fields) -> Void) {
        fields.withLock { change(&$0) }
    }
}
