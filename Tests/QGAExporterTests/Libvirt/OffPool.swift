import Foundation

/// Runs blocking work (a child process, curl) on a thread of its own. Swift's cooperative pool
/// has one thread per core (two here); a test blocking one of them while the exporter under test
/// needs them to answer HTTP or poll can stall both until curl gives up.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
