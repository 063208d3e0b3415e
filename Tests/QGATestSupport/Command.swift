import Foundation

/// Runs a real program (promtool, python3, gzip, curl, prometheus) and captures what it printed.
public struct Command {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: Data
        public var stderr: String
        public var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs on a thread of its own: a test waiting for a program must not hold one of the few
    /// threads of Swift's cooperative pool, which the exporter under test needs to answer.
    public static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil) async throws -> Result {
        try await offThePool { try runBlocking(executable, arguments, stdin: stdin) }
    }

    public static func runBlocking(_ executable: String, _ arguments: [String], stdin: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : try which(executable))
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            // Write from another thread so a large input cannot deadlock against a full stdout pipe.
            let writer = input.fileHandleForWriting
            Thread.detachNewThread {
                writer.write(stdin)
                try? writer.close()
            }
        }
        // Drain stdout on another thread while this one drains stderr, so neither pipe fills up.
        let stdoutBox = DataBox()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            stdoutBox.data = out.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        let stdoutData = stdoutBox.data
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: stdoutData, stderr: String(decoding: stderrData, as: UTF8.self))
    }

    public static func which(_ name: String) throws -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        for directory in ["/usr/sbin", "/sbin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        throw CommandNotFound(name: name)
    }

    public struct CommandNotFound: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "\(name) is not installed (scripts/install-test-deps installs it)" }
    }
}

private final class DataBox: @unchecked Sendable {
    var data = Data()  // written by one thread, read after the semaphore signals
}

/// Runs blocking work on a new thread and resumes the caller when it is done.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
