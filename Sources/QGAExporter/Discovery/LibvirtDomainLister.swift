import Logging
import QGAProtocol
import Synchronization

/// Lists the running domains of every libvirt discovery rule, before discovery resolves.
/// When libvirt cannot be asked (libvirtd restarting, library missing) the last list it gave is
/// kept, so guests do not leave /metrics for a blip; their polls say what is wrong.
final class LibvirtDomainLister: Sendable {
    private let pool: LibvirtConnectionPool
    private let lastListed = Mutex<[String: [LibvirtDomain]]>([:])

    init(pool: LibvirtConnectionPool = .shared) {
        self.pool = pool
    }

    func list(_ sources: [LibvirtDiscovery], logger: Logger) async -> [LibvirtDiscovery: [LibvirtDomain]] {
        var result: [LibvirtDiscovery: [LibvirtDomain]] = [:]
        for source in Set(sources) {
            let connection = pool.connection(uri: source.uri)
            do {
                let domains = try await connection.activeDomains()
                lastListed.withLock { $0[connection.uri] = domains }
                result[source] = domains
            } catch {
                let kept = lastListed.withLock { $0[connection.uri] } ?? []
                logger.error("libvirt discovery failed, keeping the last list", metadata: [
                    "uri": "\(connection.uri)", "error": "\(error.message)", "domains": "\(kept.count)",
                ])
                result[source] = kept
            }
        }
        return result
    }
}
