import Foundation
import Hummingbird
import QGAProtocol

/// An error answer of the control API: a status and `{"error": {...}}` with a message, and for
/// agent failures the agent's class and our kind. Every 4xx/5xx the API sends is one of these.
struct APIError: Error, HTTPResponseError, Sendable {
    var status: HTTPResponse.Status
    var message: String
    var kind: String?
    var agentClass: String?
    var headers: HTTPFields = [:]
    /// Extra members (e.g. the pid of an exec that is still running).
    var details = JSONObject()

    init(_ status: HTTPResponse.Status, _ message: String, kind: String? = nil) {
        self.status = status
        self.message = message
        self.kind = kind
    }

    /// Agent failures: 504 when it did not answer in time, 400 for arguments we could not encode,
    /// 502 for everything the agent (or the way to it) got wrong, with the agent's class and text.
    init(_ error: AgentError) {
        switch error.kind {
        case .timeout, .connectTimeout:
            self.init(.gatewayTimeout, error.message, kind: error.kind.rawValue)
        case .invalidArguments:
            self.init(.badRequest, error.message, kind: error.kind.rawValue)
        default:
            self.init(.badGateway, error.message, kind: error.kind.rawValue)
        }
        agentClass = error.agentClass
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var members = details
        members["status"] = .int(Int64(status.code))
        members["message"] = .string(message)
        if let kind { members["kind"] = .string(kind) }
        if let agentClass { members["class"] = .string(agentClass) }
        var response = JSONBody.response(["error": .object(members)], status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}
