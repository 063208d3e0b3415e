import Foundation

/// Runs a real program (promtool, python3, curl, prometheus) and captures what it printed.
struct Command {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs on a thread of its own: a test waiting for a program must not hold one of the few
    /// threads of Swift's cooperative pool, which the exporter under test needs to answer.
    static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil) async throws -> Result {
        try await offThePool { try runBlocking(executable, arguments, stdin: stdin) }
    }

    static func runBlocking(_ executable: String, _ arguments: [String], stdin: Data? = nil) throws -> Result {
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

    static func which(_ name: String) throws -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        for directory in ["/usr/sbin", "/sbin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        throw CommandNotFound(name: name)
    }

    struct CommandNotFound: Error, CustomStringConvertible {
        var name: String
        var description: String { "\(name) is not installed (scripts/install-test-deps installs it)" }
    }
}

private final class DataBox: @unchecked Sendable {
    var data = Data()  // written by one thread, read after the semaphore signals
}

/// A real HTTP request over a real socket, made by curl.
struct HTTPResponse {
    var status: Int
    var headers: [String: String]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
}

enum HTTP {
    static func get(_ url: String, headers: [String: String] = [:], method: String = "GET", body: Data? = nil,
                    timeout: Double = 10) async throws -> HTTPResponse {
        var arguments = ["-s", "-S", "-i", "--max-time", String(timeout), "-X", method]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { arguments += ["-H", "\(name): \(value)"] }
        if body != nil { arguments += ["--data-binary", "@-"] }
        arguments.append(url)
        let result = try await Command.run("curl", arguments, stdin: body)
        guard result.status == 0 else { throw HTTPError(message: "curl \(url) failed: \(result.stderr)") }
        return try parse(result.stdout)
    }

    /// Splits curl's `-i` output into status line, headers and the raw body.
    static func parse(_ data: Data) throws -> HTTPResponse {
        let separator = Data("\r\n\r\n".utf8)
        guard let range = data.range(of: separator) else { throw HTTPError(message: "no header end in response") }
        let head = String(decoding: data[..<range.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = head.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else {
            throw HTTPError(message: "bad status line")
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return HTTPResponse(status: status, headers: headers, body: Data(data[range.upperBound...]))
    }

    struct HTTPError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

/// Runs blocking work on a new thread and resumes the caller when it is done.
func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
