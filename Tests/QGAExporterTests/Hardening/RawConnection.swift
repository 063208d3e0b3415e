#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A plain TCP connection to the exporter made with POSIX calls, so a test can misbehave the
/// way real bad clients do (trickle bytes, never finish, never read), which curl will not.
/// Every wait is bounded by poll(2); nothing here blocks without a deadline.
final class RawConnection: @unchecked Sendable {
    private(set) var fd: Int32

    /// Connects to 127.0.0.1:`port`; throws if the connect fails or does not finish in `timeout`.
    init(port: Int, receiveBuffer: Int? = nil, timeout: Duration = .seconds(5)) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawConnectionError.system("socket", errno) }
        if var size = receiveBuffer.map(Int32.init) {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            guard errno == EINPROGRESS, wait(for: Int16(POLLOUT), timeout: timeout) else {
                close()
                throw RawConnectionError.connectFailed(port: port)
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else {
                close()
                throw RawConnectionError.system("connect", error)
            }
        }
    }

    deinit { close() }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    /// Sends all of `bytes` (waiting while the socket buffer is full); false if the peer is gone.
    @discardableResult
    func send(_ bytes: [UInt8], timeout: Duration = .seconds(5)) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent > 0 {
                offset += sent
            } else if sent < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                guard wait(for: Int16(POLLOUT), timeout: timeout) else { return false }
            } else {
                return false
            }
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Reads until the peer closes or `timeout` passes; returns what arrived and whether it closed.
    func readUntilClosed(timeout: Duration) -> (data: [UInt8], closed: Bool) {
        var data: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero, wait(for: Int16(POLLIN), timeout: remaining) else { return (data, false) }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                data += buffer[0..<count]
            } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
                return (data, true)  // EOF or reset: the server closed the connection
            }
        }
    }

    /// Reads one HTTP/1.1 response with a Content-Length body (what our server sends).
    func readResponse(timeout: Duration = .seconds(10)) -> RawResponse? {
        var data: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let response = RawResponse(parsing: data) { return response }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero, wait(for: Int16(POLLIN), timeout: remaining) else { return nil }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                data += buffer[0..<count]
            } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
                return RawResponse(parsing: data)
            }
        }
    }

    private func wait(for events: Int16, timeout: Duration) -> Bool {
        var descriptor = pollfd(fd: fd, events: events, revents: 0)
        let milliseconds = Int32(clamping: max(0, timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        return poll(&descriptor, 1, milliseconds) > 0
    }
}

/// Status, headers and body of one response read by `RawConnection`.
struct RawResponse {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }

    /// Nil until the head and the whole Content-Length body are in `data`.
    init?(parsing data: [UInt8]) {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = data.indices.dropLast(3).first(where: { Array(data[$0..<$0 + 4]) == separator }) else { return nil }
        let lines = String(decoding: data[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusText = lines.first?.split(separator: " ").dropFirst().first, let status = Int(statusText) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = end + 4
        guard data.count >= bodyStart + length else { return nil }
        self.status = status
        self.headers = headers
        self.body = Array(data[bodyStart..<bodyStart + length])
    }
}

enum RawConnectionError: Error, CustomStringConvertible {
    case system(String, Int32)
    case connectFailed(port: Int)

    var description: String {
        switch self {
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        case .connectFailed(let port): "connecting to 127.0.0.1:\(port) failed or timed out"
        }
    }
}
