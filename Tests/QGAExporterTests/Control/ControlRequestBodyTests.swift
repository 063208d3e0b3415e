import Foundation
import QGATestSupport
import Testing

@testable import QGAExporter

/// Request bodies and query values, parsed by the project's own JSON parser: what the document
/// (docs/openapi.yaml) refuses is refused, what it allows reaches the agent as sent. Each case
/// here is one schemathesis found (scripts/api-fuzz) or one the switch of parser could break.
@Suite struct ControlRequestBodyTests {
    @Test func loneSurrogateEscapesAreFound() {
        let cases: [(String, Int?)] = [
            (#"{"a": "\ud83d\ude00"}"#, nil),  // a pair: one character
            (#"{"a": "\ud800"}"#, 7),  // a high half alone
            (#"{"a": "x\udc00"}"#, 8),  // a low half alone
            (#"{"a": "\ud800\u0041"}"#, 7),  // a high half before a non-surrogate
            (#"{"a": "\\ud800"}"#, nil),  // an escaped backslash, then text
            (#"{"\ud800": 1}"#, 2),  // in a member name too
            (#"["\u00e9", "\"\ud800"]"#, 14),
        ]
        for (text, offset) in cases {
            #expect(RequestJSON.loneSurrogateEscape(in: Array(text.utf8)) == offset, "\(text)")
        }
    }

    @Test func base64MustBePaddedStandardBase64() {
        for valid in ["", "AA==", "AAA=", "AAAA", "+/+/", "AB==", "aGVsbG8="] {
            #expect(ExecRoute.isPaddedBase64(valid), "\(valid)")
        }
        // Foundation decodes "====" and "AA=A"; the document's pattern refuses them.
        for invalid in ["AA", "A===", "====", "AA=A", "aGVsbG8", "aGVs bG8=", "-_-_"] {
            #expect(!ExecRoute.isPaddedBase64(invalid), "\(invalid)")
        }
    }

    @Test func bodiesAndQueriesTheDocumentRefusesAre400() async throws {
        let agent = try await FakeAgent.start()
        var options = ControlHarness.Options()
        options.guests = [("vm", agent.address)]
        try await agent.use { _ in
            try await ControlHarness.with(options) { harness in
                #expect(await harness.waitUntilUp("vm"))
                let refused: [(String, String, String?)] = [
                    // null is not "absent": it would have frozen every filesystem.
                    ("POST", "/api/v1/guests/vm/fsfreeze/freeze", #"{"mountpoints": null}"#),
                    ("POST", "/api/v1/guests/vm/exec", #"{"path": "/bin/true", "args": null}"#),
                    ("POST", "/api/v1/guests/vm/exec", #"{"path": ""}"#),
                    ("POST", "/api/v1/guests/vm/exec", #"{"path": "/bin/true", "timeout": 5}"#),
                    ("POST", "/api/v1/guests/vm/exec", #"{"path": "/bin/cat", "input": "", "input_base64": ""}"#),
                    ("POST", "/api/v1/guests/vm/exec", #"{"path": "/bin/cat", "input_base64": "===="}"#),
                    ("POST", "/api/v1/guests/vm/exec", #"{"path": "/bin/\ud800"}"#),
                    ("POST", "/api/v1/guests/vm/commands/guest-no-such-command", #"{"a": "\udc00"}"#),
                    ("POST", "/api/v1/guests/vm/commands/guest-no-such-command", "{\"a\": \"\u{FEFF}\"} trailing"),
                    ("GET", "/api/v1/guests/vm/file?path=", nil),
                    ("PUT", "/api/v1/guests/vm/file?path=", nil),
                    ("PUT", "/api/v1/guests/vm/file?path=/tmp/x&append=null", nil),
                    ("PUT", "/api/v1/guests/vm/file?path=/tmp/x&append=yes", nil),
                ]
                for (method, path, body) in refused {
                    let reply = try await harness.control(method, path, body: body.map { Data($0.utf8) })
                    #expect(reply.status == 400 && reply.errorKind == "bad_arguments", "\(method) \(path) \(body ?? ""): \(reply.status) \(reply.text)")
                }
                // Bytes that are not UTF-8 are refused, not repaired.
                let latin1 = try await harness.control("POST", "/api/v1/guests/vm/exec", body: Data([0x7B, 0x22, 0x70, 0x61, 0x74, 0x68, 0x22, 0x3A, 0x22, 0xE9, 0x22, 0x7D]))
                #expect(latin1.status == 400 && latin1.text.contains("UTF-8"), "\(latin1.text)")
                let unsent: Set = ["guest-fsfreeze-freeze", "guest-fsfreeze-freeze-list", "guest-exec", "guest-file-open", "guest-no-such-command"]
                #expect(!agent.commands.contains { unsent.contains($0) }, "a refused request reached the agent: \(agent.commands)")

                // A timeout beyond any Int64 of milliseconds once ended the exporter; now it
                // is capped at control.exec_timeout and the call reaches the agent (502 here).
                let huge = try await harness.control("POST", "/api/v1/guests/vm/exec", body: Data(#"{"path": "/bin/true", "timeout_seconds": 1.7e308}"#.utf8))
                #expect(huge.status == 502, "\(huge.text)")
                // A surrogate pair is one character, passed on as sent.
                let emoji = try await harness.control("POST", "/api/v1/guests/vm/commands/guest-no-such-command", body: Data(#"{"a": "\ud83d\ude00"}"#.utf8))
                #expect(emoji.status == 502, "\(emoji.text)")
                #expect(agent.requests.last { $0.command == "guest-no-such-command" }?.argument("a") as? String == "\u{1F600}")
                #expect(try await harness.control("POST", "/api/v1/guests/vm/commands/guest-ping").status == 200)
            }
        }
    }
}
