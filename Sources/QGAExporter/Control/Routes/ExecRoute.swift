import Foundation
import Hummingbird
import QGAProtocol

/// `POST /api/v1/guests/{guest}/exec`: starts a program in the guest, waits for it (up to a
/// deadline) and answers its exit code and decoded output, doing the guest-exec /
/// guest-exec-status / base64 dance for the caller. Allowed by `guest-exec`.
enum ExecRoute {
    struct Body: RequestBody {
        static let keys: Set<String> = ["path", "args", "env", "input", "input_base64", "capture_output", "timeout_seconds"]

        var path: String
        var args: [String]?
        var env: [String]?
        /// stdin as text, or as base64 in `inputBase64`.
        var input: String?
        var inputBase64: String?
        /// Capture stdout and stderr (default true).
        var captureOutput: Bool?
        /// Seconds to wait for the process (default and maximum: `control.exec_timeout`).
        var timeoutSeconds: Double?

        enum CodingKeys: String, CodingKey {
            case path, args, env, input
            case inputBase64 = "input_base64"
            case captureOutput = "capture_output"
            case timeoutSeconds = "timeout_seconds"
        }
    }

    @Sendable static func run(_ request: Request, _ context: ControlRequestContext, _ api: ControlAPI) async throws -> Response {
        let guest = try ControlRoutes.parameter("guest", context)
        let client = try api.authorize(context, guest: guest, command: AgentCommand.exec.name)
        let body = try await api.decodeBody(request, as: Body.self)
        let settings = api.settings
        guard !body.path.isEmpty else { throw APIError(.badRequest, "path must not be empty", kind: "bad_arguments") }
        let input = try stdin(body)
        let limit = settings.execTimeout
        var wait = limit
        if let seconds = body.timeoutSeconds {
            guard seconds > 0, seconds.isFinite else { throw APIError(.badRequest, "timeout_seconds must be positive", kind: "bad_arguments") }
            // Compared as seconds first: Int64() of a huge value (1e308) traps, ending the exporter.
            wait = seconds < limit / .seconds(1) ? .milliseconds(Int64(seconds * 1000)) : limit
        }

        let started = try await api.agentCall(context) { () throws(AgentError) in
            try await client.exec(path: body.path, arguments: body.args, environment: body.env, input: input,
                                  captureOutput: .flag(body.captureOutput ?? true), timeout: settings.commandTimeout)
        }
        let status = try await waitForExit(pid: started.pid, client: client, within: wait, api: api, context: context)
        return JSONBody.response(describe(status, pid: started.pid))
    }

    private static func stdin(_ body: Body) throws(APIError) -> Data? {
        switch (body.input, body.inputBase64) {
        case (nil, nil): return nil
        case (let text?, nil): return Data(text.utf8)
        case (nil, let encoded?):
            guard isPaddedBase64(encoded), let data = Data(base64Encoded: encoded) else {
                throw APIError(.badRequest, "input_base64 is not valid base64", kind: "bad_arguments")
            }
            return data
        case (.some, .some): throw APIError(.badRequest, "give input or input_base64, not both", kind: "bad_arguments")
        }
    }

    /// Standard base64 with padding, as the document's pattern says; Foundation's decoder also
    /// takes some text that is not (`====`), which the document promises to refuse.
    static func isPaddedBase64(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let padding = bytes.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        return bytes.count % 4 == 0 && padding <= 2 && bytes.dropLast(padding).allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"): true
            default: false
            }
        }
    }

    /// Polls guest-exec-status, starting fast and backing off, until the process exits or the
    /// deadline passes (504 then, with the pid so the caller can poll guest-exec-status).
    private static func waitForExit(pid: Int, client: AgentClient, within wait: Duration, api: ControlAPI,
                                    context: ControlRequestContext) async throws(APIError) -> GuestExecStatus {
        let deadline = ContinuousClock.now + wait
        var pause: Duration = .milliseconds(20)
        let timeout = api.settings.commandTimeout
        while true {
            let status = try await api.agentCall(context) { () throws(AgentError) in
                try await client.execStatus(pid: pid, timeout: timeout)
            }
            if status.exited { return status }
            if ContinuousClock.now + pause > deadline {
                var error = APIError(.gatewayTimeout, "the process was still running when the wait ended", kind: "exec_timeout")
                error.details["pid"] = .int(Int64(pid))
                throw error
            }
            do { try await Task.sleep(for: pause) } catch {
                throw APIError(.serviceUnavailable, "the request was cancelled", kind: "cancelled")
            }
            pause = min(pause * 2, .milliseconds(500))
        }
    }

    static func describe(_ status: GuestExecStatus, pid: Int) -> JSONValue {
        var members = JSONObject(["pid": .int(Int64(pid)), "exited": .bool(status.exited)])
        if let code = status.exitCode { members["exit_code"] = .int(Int64(code)) }
        if let signal = status.signal { members["signal"] = .int(Int64(signal)) }
        for (name, encoded, truncated) in [("stdout", status.outData, status.outTruncated),
                                           ("stderr", status.errData, status.errTruncated)] {
            let data = encoded.flatMap { Data(base64Encoded: $0) } ?? Data()
            // Text as text; bytes that are not UTF-8 stay base64 so nothing is mangled.
            if let text = String(data: data, encoding: .utf8) {
                members[name] = .string(text)
            } else {
                members[name + "_base64"] = .string(encoded ?? "")
            }
            members[name + "_truncated"] = .bool(truncated ?? false)
        }
        return .object(members)
    }
}
