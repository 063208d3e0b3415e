#if canImport(Glibc)
import Glibc
#endif
import Foundation
import QGATestSupport
import Testing

@testable import QGAExporter

/// Socket activation (`--web.systemd-socket`), as exporter-toolkit's exporters offer it: the
/// real binary started by systemd's own `systemd-socket-activate`, which binds the port, passes
/// it in LISTEN_FDS and execs the exporter on the first connection. The VM check
/// (packaging/vm/check) does the same under a real systemd with the packaged .socket unit.
@Suite(.serialized) struct SystemdSocketTests {
    static let activatorInstalled = (try? Command.which("systemd-socket-activate")) != nil

    @Test(.enabled(if: activatorInstalled, "systemd-socket-activate is missing (Debian package systemd)"))
    func servesARealAgentOnThePassedSocketWithTheSameLimits() async throws {
        let agent = try await RealAgent.start()
        do {
            try await servePolledAgent(agent)
        } catch {
            await agent.stop()
            throw error
        }
        await agent.stop()
    }

    private func servePolledAgent(_ agent: RealAgent) async throws {
        let flags = ["--guest", "vm=unix:\(agent.socketPath)", "--poll.interval", "1s", "--web.max-header-bytes", "4096"]
        let exporter = try await SocketActivatedExporter.start(flags)
        defer { exporter.kill() }
        #expect(exporter.log.contains("from=systemd"), "listening on the passed socket:\n\(exporter.log)")
        var metrics = ""
        for _ in 0..<100 where !metrics.contains(#"qga_up{guest="vm"} 1"#) {
            metrics = try await HTTP.get(exporter.url("/metrics")).text
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(metrics.contains(#"qga_up{guest="vm"} 1"#), "the real agent is polled:\n\(metrics.prefix(2000))")
        let page = try await HTTP.get(exporter.url("/"))
        #expect(page.headers["server"] == "qga_exporter" && page.headers["date"]?.hasSuffix(" GMT") == true,
                "the headers Hummingbird's own listener sets: \(page.headers)")

        // The web limits apply on this listener too: headers over the limit get a 400.
        let connection = try RawConnection(port: exporter.port)
        connection.send("GET /metrics HTTP/1.1\r\nHost: test\r\nX-Big: \(String(repeating: "b", count: 16 * 1024))\r\n\r\n")
        #expect(try await offThePool { connection.readResponse(timeout: .seconds(10))?.status } == 400)
        #expect(try await HTTP.get(exporter.url("/-/healthy")).status == 200, "still serving")

        // The socket keeps systemd's backlog (SOMAXCONN), not the 128 NIO listens with: ss shows
        // a listening socket's backlog as its Send-Q.
        let backlogs = try await listeners(on: exporter.port).map(\.backlog)
        let somaxconn = (try? String(contentsOfFile: "/proc/sys/net/core/somaxconn", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!backlogs.isEmpty && backlogs.allSatisfy { $0 == somaxconn }, "backlogs: \(backlogs), somaxconn \(somaxconn ?? "?")")

        #expect(await exporter.terminate(exitWithin: .seconds(15)), "SIGTERM stops it")
        #expect(exporter.log.contains("polling stopped"), "a clean shutdown:\n\(exporter.log)")
    }

    /// A scrape that connected just before a stop is answered, not dropped: under socket
    /// activation it was queued on systemd's socket, and a restart must not refuse it (the VM
    /// check's "restart during scrapes" lost one this way in CI). The connection is accepted and
    /// silent when SIGTERM arrives; its request comes after the listener has closed. A second
    /// one that never sends anything is closed after the grace, not held to the read timeout.
    @Test(.enabled(if: activatorInstalled, "systemd-socket-activate is missing (Debian package systemd)"))
    func aConnectionAcceptedBeforeAStopIsStillAnswered() async throws {
        let exporter = try await SocketActivatedExporter.start(
            ["--guest", "vm=unix:/nonexistent", "--poll.interval", "1s", "--web.read-timeout", "60s"])
        defer { exporter.kill() }
        let silent = try RawConnection(port: exporter.port)
        let mute = try RawConnection(port: exporter.port)
        defer { silent.close(); mute.close() }
        // Accepted: the listening socket's accept queue (its Recv-Q in ss) is empty again.
        #expect(await eventually { (try? await listeners(on: exporter.port))?.map(\.queued) == ["0"] }, "the exporter accepted the connection")

        kill(exporter.pid, SIGTERM)
        // The stop has reached the listener: systemd-socket-activate exec'd the exporter, so the
        // socket is gone once the exporter closes it, and the connections were told to quiesce
        // in that same step.
        #expect(await eventually { (try? await listeners(on: exporter.port))?.isEmpty == true }, "the listener closed on SIGTERM")
        try await Task.sleep(for: .milliseconds(300))

        #expect(silent.send("GET /metrics HTTP/1.1\r\nHost: test\r\n\r\n"))
        let response = try await offThePool { silent.readResponse(timeout: .seconds(10)) }
        #expect(response?.status == 200, "the request on the connection accepted before the stop is answered")
        #expect(response?.text.contains("qga_exporter_build_info") == true)
        #expect(try await offThePool { silent.readUntilClosed(timeout: .seconds(5)).closed }, "and then the connection is closed")
        #expect(try await offThePool { mute.readUntilClosed(timeout: .seconds(20)).closed },
                "a connection that never sends is closed after the grace (\(FirstRequestGraceHandler.grace)), not the 60 s read timeout")
        #expect(await exporter.terminate(exitWithin: .seconds(15)), "the exporter exits after answering")
        #expect(exporter.log.contains("polling stopped"), "a clean shutdown:\n\(exporter.log)")
    }

    /// The listening sockets on `port` as `ss` shows them: for a listener, Recv-Q is its accept
    /// queue's length and Send-Q its backlog.
    private func listeners(on port: Int) async throws -> [(queued: String, backlog: String)] {
        let ss = try await Command.run(try Command.which("ss"), ["-Hltn", "sport = :\(port)"])
        return ss.text.split(separator: "\n").compactMap { line in
            let columns = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            return columns.count > 2 ? (columns[1], columns[2]) : nil
        }
    }

    @Test func withoutSocketsFromSystemdItSaysWhyAndExits() async throws {
        let result = try await Command.run(ReloadTests.binary.path, ["--web.systemd-socket", "--guest", "g=unix:/nonexistent"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("--web.systemd-socket: no sockets from systemd"), "\(result.stderr)")
    }

    @Test func listenVariablesAreReadAsSdListenFdsReadsThem() throws {
        #expect(try SystemdSockets.descriptors(listenPID: "42", listenFDs: "1", ourPID: 42) == [3])
        #expect(try SystemdSockets.descriptors(listenPID: "42", listenFDs: "2", ourPID: 42) == [3, 4])
        for (pid, fds) in [("41", "1"), ("42", "0"), ("42", "two"), ("x", "1")] {
            #expect(throws: SystemdSockets.Missing.self, "LISTEN_PID=\(pid) LISTEN_FDS=\(fds)") {
                try SystemdSockets.descriptors(listenPID: pid, listenFDs: fds, ourPID: 42)
            }
        }
        #expect(throws: SystemdSockets.Missing.self) { try SystemdSockets.descriptors(listenPID: nil, listenFDs: nil, ourPID: 42) }
    }
}

/// The binary under `systemd-socket-activate`, which binds the port, passes it in LISTEN_FDS and
/// execs the exporter on the first connection. Started through a shell and left to run on its
/// own: as a direct child, Foundation's `Process` stops noticing when other children (curl) exit.
private struct SocketActivatedExporter {
    let pid: pid_t
    let port: Int
    let logPath: String

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    static func start(_ arguments: [String]) async throws -> SocketActivatedExporter {
        let port = try FreePort.loopback()
        let logPath = try TemporaryDirectory.make(prefix: "qga-sd") + "/log"
        let command = (["systemd-socket-activate", "--listen", "127.0.0.1:\(port)", ReloadTests.binary.path]
            + arguments + ["--web.systemd-socket"]).map(shellQuoted).joined(separator: " ")
        let started = try await Command.run("/bin/sh", ["-c", "\(command) >\(shellQuoted(logPath)) 2>&1 </dev/null & echo $!"])
        guard let pid = pid_t(started.text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ExporterProcessError(message: "no pid from the shell: \(started.text) \(started.stderr)")
        }
        let exporter = SocketActivatedExporter(pid: pid, port: port, logPath: logPath)
        for _ in 0..<200 {
            // The first connection makes systemd-socket-activate exec the exporter.
            if (try? await HTTP.get(exporter.url("/-/healthy"), timeout: 2))?.status == 200 { return exporter }
            try await Task.sleep(for: .milliseconds(50))
        }
        exporter.kill()
        throw ExporterProcessError(message: "the socket-activated exporter did not serve: \(exporter.log)")
    }

    /// Alive and not a zombie (an orphan's parent may be slow to reap it, or never do).
    var isRunning: Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(close, offsetBy: 2)] != "Z"
    }

    func terminate(exitWithin limit: Duration) async -> Bool {
        Glibc.kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + limit
        while isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return !isRunning
    }

    func kill() {
        if isRunning { Glibc.kill(pid, SIGKILL) }
    }

    private static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
