import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately minimal agent client over a raw unix socket: bytes in, lines out, so tests
/// see exactly what a guest sends, including 0xFF bytes, junk and half lines.
final class RawAgentClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private var fd: Int32
    private var pending: [UInt8] = []
    /// How much of `pending` is known to hold no newline (keeps huge lines linear to read).
    private var scanned = 0
    private(set) var sawEOF = false

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            throw Failure(description: "socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw Failure(description: "connect \(path): errno \(code)")
        }
    }

    deinit { disconnect() }

    func disconnect() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw Failure(description: "send: errno \(errno)") }
            offset += written
        }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Waits up to `timeout` seconds for more bytes; false on timeout or EOF.
    private func fill(timeout: Double) -> Bool {
        guard !sawEOF else { return false }
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) > 0 else { return false }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count <= 0 { sawEOF = true; return false }
        pending.append(contentsOf: chunk[0..<count])
        return true
    }

    /// The next line without its `\n`, or nil if none completes within `timeout` seconds.
    func readLine(timeout: Double = 5) -> [UInt8]? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let newline = pending[scanned...].firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                scanned = 0
                return line
            }
            scanned = pending.count
            let left = deadline.timeIntervalSinceNow
            guard left > 0, fill(timeout: left) else { return nil }
        }
    }

    func readLineText(timeout: Double = 5) -> String? {
        readLine(timeout: timeout).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Everything that arrives until EOF or `timeout` seconds pass.
    func readAll(timeout: Double) -> [UInt8] {
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0, fill(timeout: deadline.timeIntervalSinceNow) {}
        defer {
            pending.removeAll()
            scanned = 0
        }
        return pending
    }

    /// Sends a request and returns the next line.
    func ask(_ request: String, timeout: Double = 5) throws -> String? {
        try send(request)
        return readLineText(timeout: timeout)
    }
}
