import Foundation
import QGAProtocol
import QGATestSupport
import Synchronization
import Testing

@testable import QGAExporter

/// State-changing commands, only ever against a fake agent: freeze and its automatic thaw,
/// set-time, no-reply commands, and agent timeouts.
@Suite(.serialized) struct ControlFakeAgentTests {
    /// A fake guest whose filesystems can be frozen; everything else answers as
    /// `FakeAgent.standard`. `freezeDelay` makes freezes slow (a hung freeze).
    final class FreezableGuest: Sendable {
        let frozen = Mutex(false)
        let freezeDelay: Duration
        let refuseFreeze: Bool
        /// While frozen, refuse what qemu-ga refuses then, in the words of 9.1 and later (the
        /// same as for a blocked command).
        let refuseWhileFrozen: Bool

        init(freezeDelay: Duration = .zero, refuseFreeze: Bool = false, refuseWhileFrozen: Bool = false) {
            self.freezeDelay = freezeDelay
            self.refuseFreeze = refuseFreeze
            self.refuseWhileFrozen = refuseWhileFrozen
        }

        /// What qemu-ga still runs while frozen (its freeze allowlist).
        static let allowedWhileFrozen: Set<String> = [
            "guest-ping", "guest-info", "guest-sync", "guest-sync-delimited", "guest-fsfreeze-status",
            "guest-fsfreeze-thaw", "guest-get-time",
        ]

        func script(_ request: FakeAgent.Request) -> [FakeAgent.Action] {
            if refuseWhileFrozen, frozen.withLock({ $0 }), let command = request.command, !Self.allowedWhileFrozen.contains(command) {
                return [.error(class: "CommandNotFound", desc: "Command \(command) has been disabled: the command is not allowed")]
            }
            switch request.command {
            case "guest-fsfreeze-freeze", "guest-fsfreeze-freeze-list":
                if refuseFreeze { return [.error(class: "GenericError", desc: "failed to freeze /: Device or resource busy")] }
                frozen.withLock { $0 = true }
                return [.delay(freezeDelay), .reply(json: "2")]
            case "guest-fsfreeze-thaw":
                let was = frozen.withLock { state in
                    defer { state = false }
                    return state
                }
                return [.reply(json: was ? "2" : "0")]
            case "guest-fsfreeze-status":
                return [.reply(json: frozen.withLock { $0 } ? "\"frozen\"" : "\"thawed\"")]
            case "guest-set-time": return [.reply(json: "{}")]
            case "guest-shutdown": return []  // success: never a reply
            case "guest-get-osinfo": return [.delay(.milliseconds(1500)), .reply(json: "{}")]
            default: return FakeAgent.standard(request)
            }
        }
    }

    private func withFake(_ guest: FreezableGuest, controlYAML: String = "  freeze_auto_thaw: 1s\n",
                          commandTimeout: String = "5s",
                          _ body: (ControlHarness, FakeAgent) async throws -> Void) async throws {
        let agent = try await FakeAgent.start(script: { guest.script($0) })
        var options = ControlHarness.Options()
        options.guests = [("vm", agent.address)]
        options.controlYAML = controlYAML
        options.commandTimeout = commandTimeout
        try await agent.use { _ in
            try await ControlHarness.with(options) { harness in
                #expect(await harness.waitUntilUp("vm"))
                try await body(harness, agent)
            }
        }
    }

    /// Waits until the fake agent has seen `count` requests of `command`.
    private func waitFor(_ command: String, count: Int = 1, on agent: FakeAgent, limit: Duration = .seconds(20)) async -> Bool {
        await eventually(within: limit) { agent.commands.filter { $0 == command }.count >= count }
    }

    @Test func automaticThawFiresWhenNoThawArrives() async throws {
        let guest = FreezableGuest()
        try await withFake(guest) { harness, agent in
            let freeze = try await harness.control("POST", "/api/v1/guests/vm/fsfreeze/freeze")
            #expect(freeze.status == 200, "\(freeze.text)")
            #expect(freeze.json["frozen"] as? Int == 2)
            #expect(freeze.json["auto_thaw_at"] is String)
            #expect(harness.api.freezeGuard.deadline(for: "vm") != nil)

            #expect(await waitFor("guest-fsfreeze-thaw", on: agent), "the automatic thaw never came")
            let order = agent.commands.filter { $0.hasPrefix("guest-fsfreeze-") && $0 != "guest-fsfreeze-status" }
            #expect(order == ["guest-fsfreeze-freeze", "guest-fsfreeze-thaw"])
            #expect(guest.frozen.withLock { $0 } == false)
            #expect(await waitForAudit(harness) { $0["principal"] as? String == "auto-thaw" && $0["status"] as? Int == 200 })
            #expect(harness.api.freezeGuard.deadline(for: "vm") == nil)
        }
    }

    /// qemu-ga 9.1+ words a refusal while frozen as it words a blocked command; the API asks the
    /// freeze status and answers `frozen`, and a refusal while thawed stays `disabled`.
    @Test func aRefusalWhileFrozenIsReportedAsFrozen() async throws {
        let guest = FreezableGuest(refuseWhileFrozen: true)
        try await withFake(guest, controlYAML: "  freeze_auto_thaw: 1h\n") { harness, _ in
            #expect(try await harness.control("POST", "/api/v1/guests/vm/fsfreeze/freeze").status == 200)
            let refused = try await harness.control("POST", "/api/v1/guests/vm/commands/guest-get-users")
            #expect(refused.status == 502, "\(refused.text)")
            let error = refused.json["error"] as? [String: Any]
            #expect(error?["kind"] as? String == "frozen", "\(refused.text)")
            #expect((error?["message"] as? String)?.contains("frozen") == true)
            #expect(try await harness.control("POST", "/api/v1/guests/vm/fsfreeze/thaw").status == 200)
        }
        let blocked = try await FakeAgent.start(script: { request in
            switch request.command {
            case "guest-get-users":
                [.error(class: "CommandNotFound", desc: "Command guest-get-users has been disabled: the command is not allowed")]
            case "guest-fsfreeze-status": [.reply(json: "\"thawed\"")]
            default: FakeAgent.standard(request)
            }
        })
        var options = ControlHarness.Options()
        options.guests = [("vm", blocked.address)]
        try await blocked.use { _ in
            try await ControlHarness.with(options) { harness in
                let refused = try await harness.control("POST", "/api/v1/guests/vm/commands/guest-get-users")
                let error = refused.json["error"] as? [String: Any]
                #expect(refused.status == 502)
                #expect(error?["kind"] as? String == "disabled", "\(refused.text)")
                let asked = blocked.commands.split(separator: "guest-get-users", omittingEmptySubsequences: false).last ?? []
                #expect(asked.contains("guest-fsfreeze-status"), "the freeze status was asked after the refusal: \(blocked.commands)")
            }
        }
    }

    @Test func thawInTimeDisarmsTheGuard() async throws {
        try await withFake(FreezableGuest(), controlYAML: "  freeze_auto_thaw: 1h\n") { harness, agent in
            let list = try await harness.control("POST", "/api/v1/guests/vm/fsfreeze/freeze", body: Data(#"{"mountpoints": ["/"]}"#.utf8))
            #expect(list.status == 200)
            #expect(agent.requests.last { $0.command == "guest-fsfreeze-freeze-list" }?.argument("mountpoints") as? [String] == ["/"])
            let status = try await harness.control("GET", "/api/v1/guests/vm/fsfreeze")
            #expect(status.json["status"] as? String == "frozen")
            #expect(status.json["auto_thaw_at"] is String)

            let thaw = try await harness.control("POST", "/api/v1/guests/vm/fsfreeze/thaw")
            #expect(thaw.status == 200)
            #expect(thaw.json["thawed"] as? Int == 2)
            #expect(harness.api.freezeGuard.deadline(for: "vm") == nil)

            // The raw command route guards freezes the same way.
            #expect(try await harness.control("POST", "/api/v1/guests/vm/commands/guest-fsfreeze-freeze").status == 200)
            #expect(harness.api.freezeGuard.deadline(for: "vm") != nil)
            #expect(try await harness.control("POST", "/api/v1/guests/vm/commands/guest-fsfreeze-thaw").status == 200)
            #expect(harness.api.freezeGuard.deadline(for: "vm") == nil)

            // Polls and control calls take turns on the agent, each in a session of its own:
            // a connection opens with its sync and carries no other session's requests.
            #expect(agent.commands.contains("guest-info") && agent.commands.contains("guest-fsfreeze-freeze-list"))
            let sessions = Dictionary(grouping: agent.requests, by: \.connection)
            #expect(sessions.count >= 5, "five control calls, five sessions at least")
            for (number, requests) in sessions {
                #expect(requests.first?.command == "guest-sync-delimited", "connection \(number) opens with a sync")
                #expect(requests.filter { $0.command == "guest-sync-delimited" }.count == 1, "connection \(number): one session")
            }
        }
    }

    @Test func refusedFreezeArmsNothing() async throws {
        try await withFake(FreezableGuest(refuseFreeze: true)) { harness, _ in
            let freeze = try await harness.control("POST", "/api/v1/guests/vm/fsfreeze/freeze")
            #expect(freeze.status == 502)
            #expect((freeze.json["error"] as? [String: Any])?["class"] as? String == "GenericError")
            #expect(harness.api.freezeGuard.deadline(for: "vm") == nil)
        }
    }

    /// A freeze that times out may still have happened: the guard stays and thaws.
    @Test func timedOutFreezeIsStillThawed() async throws {
        let guest = FreezableGuest(freezeDelay: .seconds(2))
        try await withFake(guest, commandTimeout: "300ms") { harness, agent in
            let freeze = try await harness.control("POST", "/api/v1/guests/vm/fsfreeze/freeze")
            #expect(freeze.status == 504)
            #expect(freeze.errorKind == "timeout")
            #expect(harness.api.freezeGuard.deadline(for: "vm") != nil)
            #expect(await waitFor("guest-fsfreeze-thaw", on: agent))
            #expect(await waitForAudit(harness) { $0["principal"] as? String == "auto-thaw" && $0["status"] as? Int == 200 })
            #expect(guest.frozen.withLock { $0 } == false)
        }
    }

    @Test func shutdownOfTheExporterThawsWhatItFroze() async throws {
        let guest = FreezableGuest()
        let agent = try await FakeAgent.start(script: { guest.script($0) })
        var options = ControlHarness.Options()
        options.guests = [("vm", agent.address)]
        options.controlYAML = "  freeze_auto_thaw: 1h\n"
        let harness = try await ControlHarness.start(options)
        #expect(await harness.waitUntilUp("vm"))
        #expect(try await harness.control("POST", "/api/v1/guests/vm/fsfreeze/freeze").status == 200)
        #expect(guest.frozen.withLock { $0 })
        await harness.stop()
        #expect(agent.commands.contains("guest-fsfreeze-thaw"))
        #expect(guest.frozen.withLock { $0 } == false)
        await agent.stop()
    }

    @Test func setTimeSendsTheHostClock() async throws {
        try await withFake(FreezableGuest()) { harness, agent in
            let before = Date().timeIntervalSince1970
            let reply = try await harness.control("POST", "/api/v1/guests/vm/set-time")
            let after = Date().timeIntervalSince1970
            #expect(reply.status == 200, "\(reply.text)")
            let sent = try #require(agent.requests.last { $0.command == "guest-set-time" }?.argument("time") as? NSNumber)
            let seconds = sent.doubleValue / 1e9
            #expect(seconds >= before - 0.001 && seconds <= after + 0.001)
            #expect((reply.json["time_ns"] as? NSNumber)?.int64Value == sent.int64Value)

            // Not in the viewer's (read-only) list.
            let viewer = try await harness.control("POST", "/api/v1/guests/vm/set-time", auth: .bearer(ControlHarness.Credential.viewerToken))
            #expect(viewer.status == 403)
        }
    }

    @Test func noReplyCommandsAndAgentTimeouts() async throws {
        try await withFake(FreezableGuest(), commandTimeout: "500ms") { harness, agent in
            let shutdown = try await harness.control("POST", "/api/v1/guests/vm/commands/guest-shutdown", body: Data(#"{"mode": "powerdown"}"#.utf8))
            #expect(shutdown.status == 202)
            #expect(shutdown.json["sent"] as? Bool == true)
            #expect(agent.requests.last { $0.command == "guest-shutdown" }?.argument("mode") as? String == "powerdown")

            let slow = try await harness.control("POST", "/api/v1/guests/vm/commands/guest-get-osinfo")
            #expect(slow.status == 504)
            #expect(slow.errorKind == "timeout")
            // The late reply is dropped (the resync waits it out) and the next call gets its own.
            let ping = try await harness.control("POST", "/api/v1/guests/vm/commands/guest-ping")
            #expect(ping.status == 200)
            #expect((ping.json["return"] as? [String: Any])?.isEmpty == true)
        }
    }

    /// SIGHUP's reload: new allowlists apply at once; a broken tokens file keeps the old tokens.
    @Test func reloadAppliesNewAllowlistsAndKeepsGoodCredentials() async throws {
        try await withFake(FreezableGuest()) { harness, _ in
            let viewer = ControlHarness.Credential.viewerToken
            #expect(try await harness.control("POST", "/api/v1/guests/vm/set-time", auth: .bearer(viewer)).status == 403)

            let configPath = "\(harness.directory)/qga_exporter.yml"
            let yaml = try String(contentsOfFile: configPath, encoding: .utf8).replacingOccurrences(
                of: "    bob: [guest-get-osinfo]\n", with: "    bob: [guest-get-osinfo]\n    viewer: [read-only, guest-set-time]\n")
            try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
            #expect(await harness.exporter.reload())
            #expect(try await harness.control("POST", "/api/v1/guests/vm/set-time", auth: .bearer(viewer)).status == 200)

            try "ops: short\n".write(toFile: "\(harness.directory)/tokens.yml", atomically: true, encoding: .utf8)
            #expect(await harness.exporter.reload())
            #expect(try await harness.control("POST", "/api/v1/guests/vm/commands/guest-ping").status == 200,
                    "the running tokens stay when the new file is bad")
        }
    }

    private func waitForAudit(_ harness: ControlHarness, limit: Duration = .seconds(20),
                              _ match: ([String: Any]) -> Bool) async -> Bool {
        await eventually(within: limit) { (try? harness.auditEntries())?.contains(where: match) == true }
    }
}
