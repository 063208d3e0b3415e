import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The control API's own listener, as a lifecycle service. Shut down before the poller (it is
/// listed after it), so guests it froze are thawed while their connections are still open.
struct ControlService: Service {
    let api: ControlAPI
    let application: Application<RouterResponder<ControlRequestContext>>

    func run() async throws {
        do {
            try await application.run()
        } catch {
            await api.freezeGuard.thawAll()
            throw error
        }
        await api.freezeGuard.thawAll()
    }
}
