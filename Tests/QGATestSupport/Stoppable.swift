import QGAProtocol

/// Something a test starts and must stop whatever happens: an agent, an exporter, a libvirtd,
/// a harness, a client.
public protocol Stoppable: Sendable {
    func stop() async
}

extension Stoppable {
    /// Runs `body` with this started thing and stops it afterwards, also when `body` throws.
    public func use<T>(_ body: (Self) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }
}

extension FakeAgent: Stoppable {}
extension RealAgent: Stoppable {}

extension AgentClient: Stoppable {
    public func stop() async { await close() }
}
