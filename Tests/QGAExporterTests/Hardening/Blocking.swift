import Foundation

/// Runs blocking work (a socket wait, curl, waiting for a process) on a dispatch thread. The
/// cooperative pool has one thread per core (two here), and the exporter running in this test
/// process needs them to answer HTTP: a test blocking them would starve the server it tests.
enum Blocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}
