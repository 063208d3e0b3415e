import Foundation
import HTTPTypes
import QGATestSupport
import Testing

@testable import QGAExporter

/// Malformed JSON, huge bodies, odd paths, odd methods and broken HTTP against the live control
/// listener: every answer is a 4xx (or the connection is closed on HTTP garbage), nothing
/// crashes, and `/metrics` keeps serving throughout.
@Suite(.serialized) struct ControlFuzzTests {
    @Test func malformedRequestsGet4xxAndMetricsKeepsServing() async throws {
        let agent = try await FakeAgent.start()
        var options = ControlHarness.Options()
        options.guests = [("vm", agent.address)]
        options.controlYAML = "  max_body_bytes: 65536\n  max_file_bytes: 131072\n"
        options.withBasicAuth = false  // /metrics open, as by default
        try await agent.use { _ in
            try await ControlHarness.with(options) { harness in
                #expect(await harness.waitUntilUp("vm"))
                try await fuzzBodies(harness)
                try await fuzzPathsAndMethods(harness)
                try await hugeBodies(harness)
                try await brokenHTTP(harness)
                // Still alive and correct after all of it.
                #expect(try await harness.control("POST", "/api/v1/guests/vm/commands/guest-ping").status == 200)
                let metrics = try await harness.metrics()
                #expect(metrics.status == 200)
                #expect(metrics.text.contains(#"qga_up{guest="vm"} 1"#))
            }
        }
    }

    private func fuzzBodies(_ harness: ControlHarness) async throws {
        var random = SeededGenerator(seed: 0x5EED_0001)
        let fixed = [
            "{", "}", "[", "{\"a\":", "nul", "\"just a string\"", "42", "[1,2,3]", "{\"a\":1,}", "{'a':1}",
            "{\"path\": 5}", "{\"path\": null}", "{\"path\": \"/bin/echo\", \"args\": \"not a list\"}",
            "{\"path\": \"/bin/echo\", \"timeout_seconds\": -1}", "{\"path\": \"/bin/echo\", \"input_base64\": \"%%%\"}",
            "{\"mountpoints\": \"/\"}", "{\"path\": \"/bin/echo\", \"timeout\": 5}", "\u{0}\u{1}\u{2}", String(repeating: "[", count: 5000), "\u{FEFF}{}",
            "{\"a\": \"\\ud800\"}", "{\"a\": 1e999999}",
        ]
        let targets = [
            "/api/v1/guests/vm/exec", "/api/v1/guests/vm/fsfreeze/freeze", "/api/v1/guests/vm/commands/guest-get-osinfo",
        ]
        var bodies = fixed.map { Data($0.utf8) }
        for _ in 0..<40 {
            let length = Int.random(in: 1...300, using: &random)
            bodies.append(Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }))
        }
        for (index, body) in bodies.enumerated() {
            let target = targets[index % targets.count]
            let reply = try await harness.control("POST", target, body: body)
            // A body that is a well-formed request reaches the fake agent, which refuses the
            // command (502 with its class); anything else must be our own 4xx.
            let error = reply.json["error"] as? [String: Any]
            #expect(error != nil, "JSON error answer for body #\(index) to \(target): \(reply.text)")
            if (try? JSONSerialization.jsonObject(with: body)) is [String: Any], reply.status == 502 {
                #expect(error?["class"] as? String == "CommandNotFound", "body #\(index)")
            } else {
                #expect((400..<500).contains(reply.status), "body #\(index) to \(target): \(reply.status) \(reply.text)")
            }
        }
    }

    private func fuzzPathsAndMethods(_ harness: ControlHarness) async throws {
        var random = SeededGenerator(seed: 0x5EED_0002)
        var paths = [
            "/", "//", "/api", "/api/v1", "/api/v1/", "/api/v2/guests", "/api/v1/guests/", "/api/v1/guests/vm/",
            "/api/v1/guests/vm/commands", "/api/v1/guests/vm/commands/", "/api/v1/guests/vm/commands/guest-ping/extra",
            "/api/v1/guests/../../etc/passwd", "/api/v1/guests/%2e%2e/commands/guest-ping", "/api/v1/guests/%00/exec",
            "/api/v1/guests/vm/file", "/api/v1/guests/vm/file?path=", "/api/v1/guests/" + String(repeating: "a", count: 4000),
            "/api/v1/guests/vm/commands/GUEST-PING", "/api/v1/guests/vm/commands/guest-%0Aping", "/metrics", "/api/v1/openapi.yml",
            "/api/v1/guests/%E2%98%83/commands/guest-ping", "/api/v1/guests/vm?x=%zz",
        ]
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789-_.~%/?=&")
        for _ in 0..<40 {
            let length = Int.random(in: 1...60, using: &random)
            paths.append("/api/v1/" + String((0..<length).map { _ in alphabet.randomElement(using: &random)! }))
        }
        for path in paths {
            for method in ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
                let reply = try await harness.control(method, path, body: method == "GET" ? nil : Data())
                let routePath = String(path.split(separator: "?", omittingEmptySubsequences: false).first ?? "")
                if ControlRoutes.methods(forPath: routePath).map(\.rawValue).contains(method) {
                    // A real route: whatever it answers, never an internal error.
                    #expect(reply.status != 500, "\(method) \(path): \(reply.text)")
                } else {
                    #expect((400..<500).contains(reply.status), "\(method) \(path): \(reply.status) \(reply.text)")
                }
            }
        }
        // A wrong method on a real path says which ones it has.
        let wrong = try await harness.control("DELETE", "/api/v1/guests/vm/exec")
        #expect(wrong.status == 405)
        #expect(wrong.headers["allow"] == "POST")
        // Unauthenticated probing learns nothing about routes.
        #expect(try await harness.control("DELETE", "/api/v1/guests/vm/exec", auth: .none).status == 401)
        #expect(try await harness.control("GET", "/no/such/thing", auth: .none).status == 401)
    }

    private func hugeBodies(_ harness: ControlHarness) async throws {
        let large = Data(repeating: UInt8(ascii: "a"), count: 4 << 20)
        let json = try await harness.control("POST", "/api/v1/guests/vm/commands/guest-ping", body: large)
        #expect(json.status == 413)
        let file = try await harness.control("PUT", "/api/v1/guests/vm/file?path=/tmp/never-written", body: large)
        #expect(file.status == 413)
        // Chunked, so no Content-Length warns us: still cut off at the limit.
        let chunked = try await harness.control("POST", "/api/v1/guests/vm/exec", body: large,
                                          headers: ["Transfer-Encoding": "chunked"])
        #expect(chunked.status == 413)
        let unauthenticated = try await harness.control("POST", "/api/v1/guests/vm/exec", auth: .none, body: large)
        #expect(unauthenticated.status == 401)
    }

    /// Bytes that are not HTTP at all, over a raw socket: the server may answer 400 or close
    /// the connection, and must keep serving everyone else.
    private func brokenHTTP(_ harness: ControlHarness) async throws {
        let port = try requireValue(harness.controlPort)
        let garbage: [[UInt8]] = [
            Array("GARBAGE\r\n\r\n".utf8),
            Array("GET /api/v1/guests HTTP/9.9\r\n\r\n".utf8),
            Array("POST /api/v1/guests/vm/exec HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n".utf8),
            Array("POST /api/v1/guests/vm/exec HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nContent-Length: 20\r\n\r\n".utf8),
            Array("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "h", count: 200_000))\r\n\r\n".utf8),
            [0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00],  // a TLS hello to a plain listener
            (0..<512).map { UInt8(truncatingIfNeeded: $0 * 31) },
        ]
        for bytes in garbage {
            let answer = try await offThePool { try RawSocket.exchange(port: port, bytes: bytes) }
            if let status = answer.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
                #expect((400..<500).contains(status), "answer to garbage: \(answer.prefix(80))")
            }
            #expect(try await harness.metrics().status == 200)
        }
    }
}

/// Sends bytes over a plain TCP connection and reads what comes back until the peer closes or
/// a second passes.
enum RawSocket {
    static func exchange(port: Int, bytes: [UInt8]) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTP.HTTPError(message: "socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw HTTP.HTTPError(message: "connect failed: \(errno)") }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
