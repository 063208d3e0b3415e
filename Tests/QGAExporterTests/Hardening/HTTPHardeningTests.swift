import Foundation
import QGATestSupport
import Testing

/// Bad HTTP clients against the real binary: slowloris (headers or body trickled, or never
/// finished), oversized headers and bodies, many concurrent scrapes and connection floods.
/// Whatever they do, `/metrics` keeps answering the clients that behave, and the server's
/// connections (file descriptors) stay within `--web.max-connections`.
@Suite(.serialized) struct HTTPHardeningTests {
    /// A guest whose socket does not exist: every poll fails fast, so /metrics has content.
    static let guestFlags = ["--guest", "gone=unix:/nonexistent/qga-hardening.sock", "--poll.interval", "1s"]

    private func scrape(_ exporter: ExporterProcess) async throws -> RawResponse? {
        let port = exporter.port
        return try await offThePool {
            let connection = try RawConnection(port: port)
            connection.send("GET /metrics HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
            return connection.readResponse(timeout: .seconds(15))
        }
    }

    @Test func unfinishedAndTrickledHeadersAreCutOffAtTheReadTimeout() async throws {
        try await ExporterProcess.with(Self.guestFlags + ["--web.read-timeout", "2s", "--web.max-connections", "16"]) { exporter in
            // More half-sent requests than there are connection slots: a plain slowloris.
            var stalled: [RawConnection] = []
            for _ in 0..<24 {
                let connection = try RawConnection(port: exporter.port)
                connection.send("GET /metrics HTTP/1.1\r\nHost: test\r\nX-Slow: ")
                stalled.append(connection)
            }
            // One more that keeps sending a header byte every 100 ms: activity alone buys no time.
            let trickler = try RawConnection(port: exporter.port)
            let trickle = Array("GET /metrics HTTP/1.1\r\nHost: test\r\nX-Trickle: \(String(repeating: "a", count: 200))\r\n\r\n".utf8)
            let sentBeforeCut = await Task.detached { () -> Int in
                for (index, byte) in trickle.enumerated() {
                    if !trickler.send([byte]) { return index }
                    try? await Task.sleep(for: .milliseconds(100))
                }
                return trickle.count
            }.value
            #expect(sentBeforeCut < trickle.count, "the trickling client must be cut off before it finishes (sent \(sentBeforeCut))")

            let response = try await scrape(exporter)
            #expect(response?.status == 200, "/metrics answers while slow clients hold connections")
            #expect(response?.text.contains(#"qga_up{guest="gone"} 0"#) == true)
            for connection in stalled {
                #expect(try await offThePool { connection.readUntilClosed(timeout: .seconds(10)).closed }, "the server closes a request never finished")
            }
        }
    }

    @Test func aTrickledBodyIsCutOffAndAnOversizedBodyClosesTheConnection() async throws {
        try await ExporterProcess.with(Self.guestFlags + ["--web.read-timeout", "2s", "--web.max-request-body-bytes", "65536"]) { exporter in
            let slowBody = try RawConnection(port: exporter.port)
            slowBody.send("POST /metrics HTTP/1.1\r\nHost: test\r\nContent-Length: 100000\r\n\r\n")
            let sent = await Task.detached { () -> Int in
                for index in 0..<100 {
                    if !slowBody.send(Array(repeating: UInt8(ascii: "x"), count: 10)) { return index }
                    try? await Task.sleep(for: .milliseconds(100))
                }
                return 100
            }.value
            #expect(sent < 100, "a body trickled for longer than the read timeout is cut off (sent \(sent) chunks)")

            let bigBody = try RawConnection(port: exporter.port)
            bigBody.send("POST /metrics HTTP/1.1\r\nHost: test\r\nContent-Length: 16777216\r\n\r\n")
            // A server that drained the body would take all 16 MiB in well under the read
            // timeout; ours closes at 64 KiB, so the rest of the upload fails (reset).
            let uploaded = try await offThePool { bigBody.send(Array(repeating: UInt8(ascii: "y"), count: 16 * 1024 * 1024), timeout: .seconds(5)) }
            #expect(!uploaded, "a body over the limit closes the connection before it is all sent")

            let response = try await scrape(exporter)
            #expect(response?.status == 200)
        }
    }

    @Test func oversizedHeadersGetA400AndTheServerStaysUp() async throws {
        try await ExporterProcess.with(Self.guestFlags + ["--web.max-header-bytes", "8192"]) { exporter in
            let connection = try RawConnection(port: exporter.port)
            connection.send("GET /metrics HTTP/1.1\r\nHost: test\r\nX-Big: \(String(repeating: "b", count: 64 * 1024))\r\n\r\n")
            let rejected = try await offThePool { connection.readResponse(timeout: .seconds(10)) }
            #expect(rejected?.status == 400)
            #expect(try await offThePool { connection.readUntilClosed(timeout: .seconds(10)).closed })

            // Just under the limit is still served.
            let fits = try RawConnection(port: exporter.port)
            fits.send("GET /metrics HTTP/1.1\r\nHost: test\r\nX-Fits: \(String(repeating: "f", count: 6000))\r\n\r\n")
            #expect(try await offThePool { fits.readResponse()?.status } == 200)
        }
    }

    @Test func manyConcurrentScrapesAreAllAnswered() async throws {
        try await ExporterProcess.with(Self.guestFlags) { exporter in
            let port = exporter.port

            // 64 clients at once, each sending three requests on one keep-alive connection.
            let statuses = await withCheckedContinuation { (continuation: CheckedContinuation<[[Int]], Never>) in
                DispatchQueue.global().async {
                    let results = LockedResults(count: 64)
                    DispatchQueue.concurrentPerform(iterations: 64) { index in
                        var seen: [Int] = []
                        if let connection = try? RawConnection(port: port) {
                            for _ in 0..<3 {
                                connection.send("GET /metrics HTTP/1.1\r\nHost: test\r\nAccept-Encoding: gzip\r\n\r\n")
                                guard let response = connection.readResponse(timeout: .seconds(20)) else { break }
                                seen.append(response.headers["content-encoding"] == "gzip" && !response.body.isEmpty ? response.status : -response.status)
                            }
                        }
                        results.set(index, seen)
                    }
                    continuation.resume(returning: results.values)
                }
            }
            #expect(statuses.allSatisfy { $0 == [200, 200, 200] }, "every scrape answered with a gzip body: \(statuses.filter { $0 != [200, 200, 200] })")
        }
    }

    @Test func aConnectionFloodStaysWithinMaxConnectionsAndMetricsRecovers() async throws {
        try await ExporterProcess.with(Self.guestFlags + ["--web.max-connections", "32", "--web.read-timeout", "1s"]) { exporter in
            try await Task.sleep(for: .seconds(1))
            let baseline = exporter.openFileDescriptors

            // 150 idle connections at once: the kernel queues what the server does not accept.
            var flood: [RawConnection] = []
            for _ in 0..<150 {
                if let connection = try? RawConnection(port: exporter.port, timeout: .milliseconds(200)) { flood.append(connection) }
            }
            try await Task.sleep(for: .milliseconds(500))
            let during = exporter.openFileDescriptors
            #expect(during - baseline <= 32 + 4, "accepted connections stay within the limit (baseline \(baseline), during \(during))")

            // The read timeout frees the slots, so a real scrape gets through the queue.
            let response = try await scrape(exporter)
            #expect(response?.status == 200, "/metrics answers during the flood")

            for connection in flood { connection.close() }
            var after = exporter.openFileDescriptors
            for _ in 0..<50 where after > baseline {
                try await Task.sleep(for: .milliseconds(100))
                after = exporter.openFileDescriptors
            }
            #expect(after <= baseline, "every flood connection is closed again (baseline \(baseline), after \(after))")
        }
    }

    /// The control API's listener has the same limits: a half-sent request is cut off at the
    /// read timeout, oversized headers get a 400, and the exporter keeps serving.
    @Test func theControlListenerHasTheSameLimits() async throws {
        let directory = try TemporaryDirectory.make(prefix: "qga-control-limits")
        let controlPort = try FreePort.loopback()
        try "ops: 0123456789abcdef0123456789abcdef\n".write(toFile: directory + "/tokens.yml", atomically: true, encoding: .utf8)
        chmod(directory + "/tokens.yml", 0o600)
        try """
        control:
          listen_address: "127.0.0.1:\(controlPort)"
          tokens_file: \(directory)/tokens.yml
        """.write(toFile: directory + "/config.yml", atomically: true, encoding: .utf8)
        let flags = Self.guestFlags + ["--config.file", directory + "/config.yml", "--web.read-timeout", "1s", "--web.max-header-bytes", "4096"]
        try await ExporterProcess.with(flags) { exporter in
            var connected: RawConnection?
            for _ in 0..<100 where connected == nil {
                connected = try? RawConnection(port: controlPort)
                if connected == nil { try await Task.sleep(for: .milliseconds(50)) }
            }
            let stalled = try #require(connected, "the control listener did not come up: \(exporter.log)")
            stalled.send("GET /api/v1/guests HTTP/1.1\r\nHost: test\r\nX-Slow: ")
            #expect(try await offThePool { stalled.readUntilClosed(timeout: .seconds(10)).closed },
                    "the control listener closes a request never finished")

            let oversized = try RawConnection(port: controlPort)
            oversized.send("GET /api/v1/guests HTTP/1.1\r\nHost: test\r\nX-Big: \(String(repeating: "b", count: 16 * 1024))\r\n\r\n")
            let response = try await offThePool { oversized.readResponse(timeout: .seconds(10)) }
            #expect(response?.status == 400, "headers over --web.max-header-bytes: \(String(describing: response?.status))")

            let authorized = try RawConnection(port: controlPort)
            authorized.send("GET /api/v1/guests HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer 0123456789abcdef0123456789abcdef\r\nConnection: close\r\n\r\n")
            let answer = try await offThePool { authorized.readResponse(timeout: .seconds(10)) }
            #expect(answer?.status == 200, "a well-formed request is still served")
            #expect(try await scrape(exporter)?.status == 200)
        }
    }

    @Test func badLimitFlagsAreRejectedAtStart() async throws {
        for flags in [["--web.read-timeout", "soon"], ["--web.max-connections", "0"], ["--web.max-header-bytes", "-1"]] {
            let result = try await Command.run(ReloadTests.binary.path, flags + ["--guest", "x=unix:/nonexistent"])
            #expect(result.status != 0, "\(flags) must be refused")
            #expect(result.stderr.contains(flags[0]), "the error names the flag: \(result.stderr)")
        }
    }
}

/// Results written by concurrent workers, one slot each.
private final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [[Int]]
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func set(_ index: Int, _ value: [Int]) { lock.withLock { slots[index] = value } }
    var values: [[Int]] { lock.withLock { slots } }
}
