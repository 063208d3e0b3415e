import Foundation
import Hummingbird
import Logging
import QGAProtocol

/// `GET` and `PUT /api/v1/guests/{guest}/file?path=...`: a whole file as raw bytes, read or
/// written in chunks through guest-file-open/read/write/close, with base64 handled here and
/// `control.max_file_bytes` as the limit. The handle is always closed, also after a failure.
/// Allowed by `guest-file-read` and `guest-file-write` respectively.
enum FileRoutes {
    /// Bytes per guest-file-read/write: small enough that the base64 reply stays far below the
    /// client's 16 MiB reply limit, large enough to keep round trips few.
    static let chunkSize = 1 << 20

    @Sendable static func read(_ request: Request, _ context: ControlRequestContext, _ api: ControlAPI) async throws -> Response {
        let guest = try ControlRoutes.parameter("guest", context)
        let client = try api.authorize(context, guest: guest, command: AgentCommand.fileRead.name)
        let path = try pathQuery(request)
        let settings = api.settings
        let timeout = settings.commandTimeout
        let handle = try await api.agentCall(context) { () throws(AgentError) in
            try await client.fileOpen(path: path, mode: "r", timeout: timeout)
        }
        var content = ByteBuffer()
        do {
            while true {
                let chunk = try await api.agentCall(context) { () throws(AgentError) in
                    try await client.fileRead(handle: handle, count: chunkSize, timeout: timeout)
                }
                guard let bytes = chunk.data else {
                    throw APIError(.badGateway, "the agent sent invalid base64", kind: "protocolViolation")
                }
                content.writeBytes(bytes)
                if content.readableBytes > settings.maxFileBytes {
                    throw APIError(.contentTooLarge, "the file is larger than control.max_file_bytes (\(settings.maxFileBytes))",
                                   kind: "file_too_large")
                }
                if chunk.eof || chunk.count == 0 { break }
            }
        } catch {
            await close(handle, client: client, timeout: timeout, api: api)
            throw error
        }
        await close(handle, client: client, timeout: timeout, api: api)
        return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: content))
    }

    @Sendable static func write(_ request: Request, _ context: ControlRequestContext, _ api: ControlAPI) async throws -> Response {
        let guest = try ControlRoutes.parameter("guest", context)
        let client = try api.authorize(context, guest: guest, command: AgentCommand.fileWrite.name)
        let path = try pathQuery(request)
        let append = try appendQuery(request)
        let settings = api.settings
        let timeout = settings.commandTimeout
        let content = try await api.body(request, limit: settings.maxFileBytes)
        let bytes = Array(content.readableBytesView)
        let handle = try await api.agentCall(context) { () throws(AgentError) in
            try await client.fileOpen(path: path, mode: append ? "a" : "w", timeout: timeout)
        }
        var written = 0
        do {
            while written < bytes.count {
                let chunk = Data(bytes[written..<min(bytes.count, written + chunkSize)])
                let result = try await api.agentCall(context) { () throws(AgentError) in
                    try await client.fileWrite(handle: handle, data: chunk, timeout: timeout)
                }
                guard result.count > 0 else { throw APIError(.badGateway, "the agent wrote nothing", kind: "short_write") }
                written += result.count
            }
            _ = try await api.agentCall(context) { () throws(AgentError) in
                try await client.fileFlush(handle: handle, timeout: timeout)
            }
        } catch {
            await close(handle, client: client, timeout: timeout, api: api)
            throw error
        }
        await close(handle, client: client, timeout: timeout, api: api)
        return JSONBody.response(["path": .string(path), "bytes_written": .int(Int64(written))])
    }

    private static func pathQuery(_ request: Request) throws(APIError) -> String {
        guard let path = request.uri.queryParameters.get("path"), !path.isEmpty else {
            throw APIError(.badRequest, "give the guest file as ?path=/absolute/path", kind: "bad_arguments")
        }
        return path
    }

    /// `append=true` or `append=false` (absent: false). Anything else is refused rather than read
    /// as false: `append=yes` must not overwrite the file it meant to extend.
    private static func appendQuery(_ request: Request) throws(APIError) -> Bool {
        switch request.uri.queryParameters.get("append") {
        case nil, "false": return false
        case "true": return true
        case let other?: throw APIError(.badRequest, "append must be true or false, not \(other.debugDescription)", kind: "bad_arguments")
        }
    }

    /// Closes the handle; a failure is logged (the agent keeps a leaked handle until it restarts).
    private static func close(_ handle: Int, client: AgentClient, timeout: Duration, api: ControlAPI) async {
        do {
            try await client.fileClose(handle: handle, timeout: timeout)
        } catch {
            api.logger.warning("could not close a guest file handle", metadata: ["handle": "\(handle)", "error": "\(error)"])
        }
    }
}
