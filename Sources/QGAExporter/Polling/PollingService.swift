import Logging
import ServiceLifecycle
import UnixSignals

/// The background work as a lifecycle service: start polling, re-run discovery on its interval,
/// reload on SIGHUP, and on shutdown close every guest connection.
struct PollingService: Service {
    let exporter: Exporter

    func run() async throws {
        await exporter.start()
        // Both loops run until shutdown; cancelling them is how they stop.
        try? await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await rediscoverPeriodically() }
                group.addTask { await reloadOnHangup() }
                await group.waitForAll()
            }
        }
        await exporter.fleet.stopAll()
        exporter.logger.info("polling stopped, guest connections closed")
    }

    private func rediscoverPeriodically() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: exporter.config.discoveryInterval) } catch { return }
            await exporter.rediscover()
        }
    }

    private func reloadOnHangup() async {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals {
            if Task.isCancelled { return }
            exporter.logger.info("SIGHUP: reloading config")
            await exporter.reload()
        }
    }
}
