import Foundation

/// Runs blocking work (a curl or CLI process, a raw socket read) on its own thread. Blocking a
/// Swift concurrency thread instead can starve the in-process server of the threads it needs
/// to answer (two cores: two threads), and the request then hangs until curl gives up.
enum OffPool {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}

extension Command {
    /// `Command.run` off the concurrency pool.
    static func runAsync(_ executable: String, _ arguments: [String], stdin: Data? = nil) async throws -> Result {
        try await OffPool.run { try Command.run(executable, arguments, stdin: stdin) }
    }
}

extension Command.Result: @unchecked Sendable {}
extension HTTPResponse: @unchecked Sendable {}
