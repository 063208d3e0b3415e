/// Something a test starts and must stop whatever happens: an exporter, a libvirtd, a harness.
protocol Stoppable: Sendable {
    func stop() async
}

extension Stoppable {
    /// Runs `body` with this started thing and stops it afterwards, also when `body` throws.
    func use<T>(_ body: (Self) async throws -> T) async throws -> T {
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
