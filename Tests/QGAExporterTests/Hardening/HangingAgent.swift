#if canImport(Glibc)
import Glibc
#endif
import Foundation
import QGATestSupport

/// A unix socket that accepts every connection, reads everything sent and never answers: an
/// agent that hangs mid-poll. Unlike `SilentSocket` it accepts, so it sees when the exporter
/// closes its end (EOF), which is what a clean shutdown must do.
final class HangingAgent: @unchecked Sendable {
    let path: String
    private let directory: String
    private let listener: Int32
    private let lock = NSLock()
    private var connections: [(fd: Int32, bytes: Int, closed: Bool)] = []
    private var stopping = false

    init() throws {
        directory = try TemporaryDirectory.make(prefix: "qga-hang")
        path = directory + "/hang.sock"
        listener = UnixSocketProbe.bindWithoutListening(path: path)
        guard listen(listener, 16) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        Thread.detachNewThread { [self] in serve() }
    }

    /// Connections accepted so far.
    var accepted: Int { lock.withLock { connections.count } }
    /// Connections the exporter has closed (EOF seen).
    var closedByPeer: Int { lock.withLock { connections.filter(\.closed).count } }
    /// Bytes received over all connections (requests the agent "swallowed").
    var bytesReceived: Int { lock.withLock { connections.reduce(0) { $0 + $1.bytes } } }

    private func serve() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !lock.withLock({ stopping }) {
            var descriptors = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            let open = lock.withLock { connections.filter { !$0.closed }.map(\.fd) }
            descriptors += open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&descriptors, nfds_t(descriptors.count), 100) > 0 else { continue }
            if descriptors[0].revents != 0 {
                let fd = accept(listener, nil, nil)
                if fd >= 0 { lock.withLock { connections.append((fd, 0, false)) } }
            }
            for descriptor in descriptors.dropFirst() where descriptor.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { recv(descriptor.fd, $0.baseAddress, $0.count, 0) }
                lock.withLock {
                    guard let index = connections.firstIndex(where: { $0.fd == descriptor.fd && !$0.closed }) else { return }
                    if count > 0 { connections[index].bytes += count } else { connections[index].closed = true }
                }
            }
        }
    }

    func stop() {
        lock.withLock { stopping = true }
        Thread.sleep(forTimeInterval: 0.2)  // let the serving thread see the flag
        for connection in lock.withLock({ connections }) { close(connection.fd) }
        close(listener)
        try? FileManager.default.removeItem(atPath: directory)
    }
}
