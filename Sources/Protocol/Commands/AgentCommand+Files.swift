#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Files in the guest.

extension AgentCommand where Arguments == FileOpenArguments, Result == Int {
    /// `guest-file-open`: returns a handle.
    public static var fileOpen: Self { Self("guest-file-open", .filesAndPrograms) }
}

extension AgentCommand where Arguments == FileHandleArguments, Result == EmptyReply {
    /// `guest-file-close`.
    public static var fileClose: Self { Self("guest-file-close", .filesAndPrograms) }
    /// `guest-file-flush`.
    public static var fileFlush: Self { Self("guest-file-flush", .filesAndPrograms) }
}

extension AgentCommand where Arguments == FileReadArguments, Result == GuestFileRead {
    /// `guest-file-read`: up to `count` bytes (agent default 4 KiB, at most 48 MB).
    public static var fileRead: Self { Self("guest-file-read", .filesAndPrograms) }
}

extension AgentCommand where Arguments == FileWriteArguments, Result == GuestFileWrite {
    /// `guest-file-write`.
    public static var fileWrite: Self { Self("guest-file-write", .filesAndPrograms) }
}

extension AgentCommand where Arguments == FileSeekArguments, Result == GuestFileSeek {
    /// `guest-file-seek`: returns the new position.
    public static var fileSeek: Self { Self("guest-file-seek", .filesAndPrograms) }
}

public struct FileOpenArguments: Encodable, Sendable, Hashable {
    public var path: String
    /// An fopen() mode; the agent's default is "r".
    public var mode: String?

    public init(path: String, mode: String? = nil) {
        self.path = path
        self.mode = mode
    }
}

/// The arguments of `guest-file-close` and `guest-file-flush`.
public struct FileHandleArguments: Encodable, Sendable, Hashable {
    public var handle: Int

    public init(handle: Int) {
        self.handle = handle
    }
}

public struct FileReadArguments: Encodable, Sendable, Hashable {
    public var handle: Int
    /// Bytes to read; the agent's default is 4 KiB.
    public var count: Int?

    public init(handle: Int, count: Int? = nil) {
        self.handle = handle
        self.count = count
    }
}

public struct FileWriteArguments: Encodable, Sendable, Hashable {
    public var handle: Int
    /// The bytes, base64.
    public var bufB64: String
    /// Writes only this many of the decoded bytes.
    public var count: Int?

    public init(handle: Int, bufB64: String, count: Int? = nil) {
        self.handle = handle
        self.bufB64 = bufB64
        self.count = count
    }

    /// Raw bytes, base64-encoded here.
    public init(handle: Int, data: Data) {
        self.init(handle: handle, bufB64: data.base64EncodedString())
    }

    enum CodingKeys: String, CodingKey {
        case handle
        case bufB64 = "buf-b64"
        case count
    }
}

public struct FileSeekArguments: Encodable, Sendable, Hashable {
    public var handle: Int
    public var offset: Int
    public var whence: GuestFileWhence

    public init(handle: Int, offset: Int, whence: GuestFileWhence) {
        self.handle = handle
        self.offset = offset
        self.whence = whence
    }
}

// The typed calls the control API makes.
extension AgentClient {
    /// `guest-file-open` of `path` with an fopen() `mode` ("r" when nil); returns a handle.
    public func fileOpen(path: String, mode: String? = nil, timeout: Duration? = nil) async throws(AgentError) -> Int {
        try await call(.fileOpen, FileOpenArguments(path: path, mode: mode), timeout: timeout)
    }

    /// `guest-file-close`.
    public func fileClose(handle: Int, timeout: Duration? = nil) async throws(AgentError) {
        try await call(.fileClose, FileHandleArguments(handle: handle), timeout: timeout)
    }

    /// `guest-file-read` of up to `count` bytes.
    public func fileRead(handle: Int, count: Int? = nil, timeout: Duration? = nil) async throws(AgentError)
        -> GuestFileRead
    {
        try await call(.fileRead, FileReadArguments(handle: handle, count: count), timeout: timeout)
    }

    /// `guest-file-write` of raw bytes.
    public func fileWrite(handle: Int, data: Data, timeout: Duration? = nil) async throws(AgentError)
        -> GuestFileWrite
    {
        try await call(.fileWrite, FileWriteArguments(handle: handle, data: data), timeout: timeout)
    }

    /// `guest-file-flush`.
    public func fileFlush(handle: Int, timeout: Duration? = nil) async throws(AgentError) {
        try await call(.fileFlush, FileHandleArguments(handle: handle), timeout: timeout)
    }
}
