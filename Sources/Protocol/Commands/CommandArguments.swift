#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// The arguments of the commands that take some, as a caller of the typed client builds them.

public struct SyncArguments: Encodable, Sendable, Hashable {
    public var id: Int64

    public init(id: Int64) {
        self.id = id
    }
}

public struct SetTimeArguments: Encodable, Sendable, Hashable {
    /// Nanoseconds since the epoch; nil sets the clock from the RTC.
    public var time: Int64?

    public init(time: Int64?) {
        self.time = time
    }
}

/// How `guest-shutdown` stops the guest.
public enum GuestShutdownMode: String, Codable, Sendable, Hashable, CaseIterable {
    case halt, powerdown, reboot
}

public struct ShutdownArguments: Encodable, Sendable, Hashable {
    /// `powerdown` when nil.
    public var mode: GuestShutdownMode?

    public init(mode: GuestShutdownMode? = nil) {
        self.mode = mode
    }
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

public struct FsfreezeFreezeListArguments: Encodable, Sendable, Hashable {
    /// Mount points (or, on Windows, volume paths); all when nil.
    public var mountpoints: [String]?

    public init(mountpoints: [String]?) {
        self.mountpoints = mountpoints
    }
}

public struct FstrimArguments: Encodable, Sendable, Hashable {
    /// A hint in bytes: free ranges smaller than this may be left alone.
    public var minimum: UInt64?

    public init(minimum: UInt64? = nil) {
        self.minimum = minimum
    }
}

public struct SetVCPUsArguments: Encodable, Sendable, Hashable {
    public var vcpus: [GuestLogicalProcessor]

    public init(vcpus: [GuestLogicalProcessor]) {
        self.vcpus = vcpus
    }
}

public struct SetMemoryBlocksArguments: Encodable, Sendable, Hashable {
    public var memBlks: [GuestMemoryBlock]

    public init(memBlks: [GuestMemoryBlock]) {
        self.memBlks = memBlks
    }

    enum CodingKeys: String, CodingKey {
        case memBlks = "mem-blks"
    }
}

public struct ExecArguments: Encodable, Sendable, Hashable {
    public var path: String
    public var arg: [String]?
    /// "NAME=value" entries.
    public var env: [String]?
    /// Fed to stdin, base64.
    public var inputData: String?
    public var captureOutput: GuestExecCaptureOutput?

    /// `input` is base64-encoded here.
    public init(
        path: String, arguments: [String]? = nil, environment: [String]? = nil, input: Data? = nil,
        captureOutput: GuestExecCaptureOutput? = nil
    ) {
        self.path = path
        arg = arguments
        env = environment
        inputData = input?.base64EncodedString()
        self.captureOutput = captureOutput
    }

    enum CodingKeys: String, CodingKey {
        case path, arg, env
        case inputData = "input-data"
        case captureOutput = "capture-output"
    }
}

public struct ExecStatusArguments: Encodable, Sendable, Hashable {
    public var pid: Int

    public init(pid: Int) {
        self.pid = pid
    }
}

public struct SetUserPasswordArguments: Encodable, Sendable, Hashable {
    public var username: String
    /// Base64, as the protocol requires.
    public var password: String
    /// Whether the password is already crypt()ed.
    public var crypted: Bool

    /// `password` is the plain (or, with `crypted`, crypt()ed) text; it is base64-encoded here.
    public init(username: String, password: String, crypted: Bool) {
        self.username = username
        self.password = Data(password.utf8).base64EncodedString()
        self.crypted = crypted
    }
}

/// The arguments of `guest-ssh-get-authorized-keys`.
public struct SSHUserArguments: Encodable, Sendable, Hashable {
    public var username: String

    public init(username: String) {
        self.username = username
    }
}

public struct SSHAddAuthorizedKeysArguments: Encodable, Sendable, Hashable {
    public var username: String
    /// Public keys in authorized_keys format.
    public var keys: [String]
    /// Whether to replace the existing keys.
    public var reset: Bool?

    public init(username: String, keys: [String], reset: Bool? = nil) {
        self.username = username
        self.keys = keys
        self.reset = reset
    }
}

public struct SSHRemoveAuthorizedKeysArguments: Encodable, Sendable, Hashable {
    public var username: String
    public var keys: [String]

    public init(username: String, keys: [String]) {
        self.username = username
        self.keys = keys
    }
}
