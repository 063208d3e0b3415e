#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Typed commands: files in the guest.
extension AgentClient {
    /// `guest-file-open`: opens `path` with an fopen() `mode` ("r" when nil); returns a handle.
    public func fileOpen(path: String, mode: String? = nil, timeout: Duration? = nil) async throws(AgentError) -> Int {
        let args = arguments(["path": .string(path), "mode": mode.map(JSONValue.string)])
        return try await execute(QGACommand.fileOpen, arguments: args, returning: Int.self, timeout: timeout)
    }

    /// `guest-file-close`.
    public func fileClose(handle: Int, timeout: Duration? = nil) async throws(AgentError) {
        _ = try await execute(
            QGACommand.fileClose, arguments: arguments(["handle": JSONValue(handle)]), returning: EmptyReply.self,
            timeout: timeout)
    }

    /// `guest-file-read`: up to `count` bytes (agent default 4 KiB, at most 48 MB).
    public func fileRead(handle: Int, count: Int? = nil, timeout: Duration? = nil) async throws(AgentError)
        -> GuestFileRead
    {
        let args = arguments(["handle": JSONValue(handle), "count": count.map(JSONValue.init)])
        return try await execute(QGACommand.fileRead, arguments: args, returning: GuestFileRead.self, timeout: timeout)
    }

    /// `guest-file-write` of base64 text; `count` limits the decoded bytes written.
    public func fileWrite(handle: Int, bufB64: String, count: Int? = nil, timeout: Duration? = nil)
        async throws(AgentError) -> GuestFileWrite
    {
        let args = arguments([
            "handle": JSONValue(handle), "buf-b64": .string(bufB64), "count": count.map(JSONValue.init),
        ])
        return try await execute(QGACommand.fileWrite, arguments: args, returning: GuestFileWrite.self, timeout: timeout)
    }

    /// `guest-file-write` of raw bytes (base64-encoded here).
    public func fileWrite(handle: Int, data: Data, timeout: Duration? = nil) async throws(AgentError)
        -> GuestFileWrite
    {
        try await fileWrite(handle: handle, bufB64: data.base64EncodedString(), timeout: timeout)
    }

    /// `guest-file-seek`: moves to `offset` relative to `whence`; returns the new position.
    public func fileSeek(handle: Int, offset: Int, whence: GuestFileWhence, timeout: Duration? = nil)
        async throws(AgentError) -> GuestFileSeek
    {
        struct Arguments: Encodable, Sendable {
            let handle: Int
            let offset: Int
            let whence: GuestFileWhence
        }
        return try await execute(
            QGACommand.fileSeek, arguments: Arguments(handle: handle, offset: offset, whence: whence),
            returning: GuestFileSeek.self, timeout: timeout)
    }

    /// `guest-file-flush`.
    public func fileFlush(handle: Int, timeout: Duration? = nil) async throws(AgentError) {
        _ = try await execute(
            QGACommand.fileFlush, arguments: arguments(["handle": JSONValue(handle)]), returning: EmptyReply.self,
            timeout: timeout)
    }
}
