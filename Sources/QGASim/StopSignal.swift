import Foundation

/// Waits for SIGINT or SIGTERM, so the fleet can close and remove its sockets before exiting.
enum StopSignal {
    static func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let queue = DispatchQueue(label: "qga-sim.signals")
            let once = ResumeOnce(continuation)
            for signalNumber in [SIGINT, SIGTERM] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
                source.setEventHandler { once.resume() }
                source.resume()
                sources.append(source)
            }
        }
    }

    // Kept alive for the life of the process; touched only before the wait begins.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    private final class ResumeOnce: @unchecked Sendable {
        private var continuation: CheckedContinuation<Void, Never>?
        private let lock = NSLock()

        init(_ continuation: CheckedContinuation<Void, Never>) { self.continuation = continuation }

        func resume() {
            lock.lock()
            let pending = continuation
            continuation = nil
            lock.unlock()
            pending?.resume()
        }
    }
}
