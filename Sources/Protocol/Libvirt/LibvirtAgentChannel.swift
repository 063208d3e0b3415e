#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import NIOCore

/// A guest agent reached through libvirtd (`virDomainQemuAgentCommand`): libvirtd owns the agent
/// socket and does the framing, the sync before every command and the id matching; we send the
/// plain request and get the agent's reply object back, or a libvirt error.
final class LibvirtAgentChannel: AgentChannel {
    /// A domain UUID or name.
    let domain: String
    private let connection: LibvirtConnection
    private let maxReplyBytes: Int
    private let logger: Logger
    private let closed = LockedBox(false)

    init(domain: String, connection: LibvirtConnection, maxReplyBytes: Int, logger: Logger) {
        self.domain = domain
        self.connection = connection
        self.maxReplyBytes = maxReplyBytes
        self.logger = logger
    }

    /// libvirtd holds the agent's channel; ours is open until closed.
    var isConnected: Bool { !closed.withLock { $0 } }

    func call(_ command: String, arguments: ByteBuffer?, timeout: Duration) async throws(AgentError) -> ReceivedReply {
        try checkOpen()
        let request = RequestEncoder.plainRequest(command: command, arguments: arguments)
        let text = try await connection.agentCommand(domain: domain, request: request, timeout: timeout)
        try checkOpen()  // closed while libvirt was busy: the caller is gone
        return try reply(from: text)
    }

    func callExpectingNoReply(_ command: String, arguments: ByteBuffer?, grace: Duration) async throws(AgentError)
        -> ReceivedReply?
    {
        do throws(AgentError) {
            return try await call(command, arguments: arguments, timeout: grace)
        } catch {
            // libvirt reports the agent's silence as not responding and its going away
            // (shutdown) as a disconnect: both mean the request went out.
            guard error.kind == .timeout || error.kind == .disconnected else { throw error }
            return nil
        }
    }

    /// libvirtd syncs before every command itself; there is nothing of ours to reset.
    func resync() async throws(AgentError) {
        try checkOpen()
    }

    func close() async {
        closed.withLock { $0 = true }
    }

    private func checkOpen() throws(AgentError) {
        if closed.withLock({ $0 }) { throw AgentError(kind: .closed, message: "the client was closed") }
    }

    private func reply(from text: String) throws(AgentError) -> ReceivedReply {
        let bytes = text.utf8
        guard bytes.count <= maxReplyBytes else {
            throw AgentError(kind: .replyTooLarge, message: "reply of \(bytes.count) bytes exceeds \(maxReplyBytes)")
        }
        guard let reply = (try? JSONParser.parse(bytes)).flatMap(ReceivedReply.init(line:)) else {
            logger.debug("libvirt returned a reply that is not a JSON object", metadata: ["reply": "\(text.prefix(200))"])
            throw AgentError(kind: .protocolViolation, message: "libvirt returned a reply that is not a JSON object")
        }
        return reply
    }
}
