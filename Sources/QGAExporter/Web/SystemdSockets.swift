#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The listening sockets systemd passed us (socket activation, `sd_listen_fds(3)`): descriptors
/// 3, 4, ... counted by `LISTEN_FDS`, meant for us when `LISTEN_PID` is our pid. Read once at
/// start; the variables are then removed so that nothing we start takes them for its own.
enum SystemdSockets {
    static let firstDescriptor: CInt = 3

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    static func take() throws(Missing) -> [CInt] {
        let environment = (pid: getenv("LISTEN_PID").map { String(cString: $0) },
                           fds: getenv("LISTEN_FDS").map { String(cString: $0) })
        unsetenv("LISTEN_PID")
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_FDNAMES")
        return try descriptors(listenPID: environment.pid, listenFDs: environment.fds, ourPID: getpid())
    }

    /// The descriptors the two variables name, or why there are none.
    static func descriptors(listenPID: String?, listenFDs: String?, ourPID: pid_t) throws(Missing) -> [CInt] {
        guard let listenPID, let listenFDs else {
            throw Missing(description: "no sockets from systemd (LISTEN_PID and LISTEN_FDS are not set): "
                + "start the service through its .socket unit, or drop --web.systemd-socket")
        }
        guard let pid = pid_t(listenPID), pid == ourPID else {
            throw Missing(description: "LISTEN_PID=\(listenPID) is not this process (\(ourPID)): the sockets were meant for another")
        }
        guard let count = CInt(listenFDs), count > 0, count < 1024 else {
            throw Missing(description: "LISTEN_FDS=\(listenFDs.debugDescription) is not a count of sockets")
        }
        return Array(firstDescriptor..<firstDescriptor + count)
    }
}
