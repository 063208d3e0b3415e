import Foundation
import NIOCore
import QGATestSupport
import Testing

@testable import QGAProtocol

@Suite struct TransportErrorTests {
    @Test func missingSocketIsSocketNotFound() async throws {
        let client = AgentClient(address: .unix(path: "/tmp/qga-no-such-dir-\(UUID().uuidString)/agent.sock"))
        let error = await expectFailure(.socketNotFound) { try await client.call(.ping) }
        #expect(error?.message.contains("no agent socket") == true)
        #expect(error?.command == "guest-ping")
        await client.close()
    }

    @Test func socketWithoutListenerIsConnectionRefused() async throws {
        let directory = try TemporaryDirectory.make(prefix: "qga-refused")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/dead.sock"
        let descriptor = UnixSocketProbe.bindWithoutListening(path: path)
        defer { close(descriptor) }
        let client = AgentClient(address: .unix(path: path))
        await expectFailure(.connectionRefused) { try await client.call(.ping) }
        await client.close()
    }

    @Test func unansweredConnectIsConnectTimeout() async throws {
        let listener = try FullBacklogListener()
        defer { listener.close() }
        let client = AgentClient(
            address: .tcp(host: "127.0.0.1", port: listener.port), options: .init(connectTimeout: .milliseconds(300)))
        await expectFailure(.connectTimeout) { try await client.call(.ping) }
        await client.close()
    }

    @Test func refusedTCPPortIsConnectionRefused() async throws {
        // Bind a port, then close it: nothing listens there any more.
        let listener = try FullBacklogListener()
        let port = listener.port
        listener.close()
        let client = AgentClient(address: .tcp(host: "127.0.0.1", port: port))
        await expectFailure(.connectionRefused) { try await client.call(.ping) }
        await client.close()
    }

    @Test func vsockFailureIsAConnectError() async throws {
        // CID 1 is the local loopback; nothing listens on this port (or vsock is not loaded).
        let client = AgentClient(address: .vsock(cid: 1, port: 40_123), options: .init(connectTimeout: .milliseconds(500)))
        let kind = await failureKind { try await client.call(.ping) }
        #expect([.connectionRefused, .connectFailed, .socketNotFound, .connectTimeout].contains(kind), "\(String(describing: kind))")
        await client.close()
    }

    @Test(arguments: [
        (EACCES, AgentError.Kind.permissionDenied), (EPERM, .permissionDenied), (ENOENT, .socketNotFound),
        (ECONNREFUSED, .connectionRefused), (ETIMEDOUT, .connectTimeout), (EAGAIN, .connectFailed),
        (EHOSTUNREACH, .connectFailed),
    ])
    func errnoMapsToAClearKind(code: Int32, kind: AgentError.Kind) {
        // Permission denied cannot be produced for real here (tests run as root).
        let error = ConnectErrorClassifier.classify(
            IOError(errnoCode: code, reason: "connect"), address: .unix(path: "/run/x.sock"))
        #expect(error.kind == kind)
        #expect(error.message.contains("unix:/run/x.sock"))
    }
}
