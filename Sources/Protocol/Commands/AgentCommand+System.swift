#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Identity, users, processes, accounts.

extension AgentCommand where Arguments == NoArguments, Result == GuestLoadAverage {
    /// `guest-get-load` (since 10.0, newer than the reference): the load averages.
    public static var getLoad: Self { Self("guest-get-load", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == GuestHostName {
    /// `guest-get-host-name`.
    public static var getHostName: Self { Self("guest-get-host-name", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == [GuestUser] {
    /// `guest-get-users`: logged-in users, each once, with the earliest login time.
    public static var getUsers: Self { Self("guest-get-users", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == GuestTimezone {
    /// `guest-get-timezone`.
    public static var getTimezone: Self { Self("guest-get-timezone", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == GuestOSInfo {
    /// `guest-get-osinfo`.
    public static var getOSInfo: Self { Self("guest-get-osinfo", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == [GuestDeviceInfo] {
    /// `guest-get-devices` (Windows): device drivers.
    public static var getDevices: Self { Self("guest-get-devices", .readOnly) }
}

extension AgentCommand where Arguments == ExecArguments, Result == GuestExec {
    /// `guest-exec`: starts a program; poll `execStatus` for its outcome and captured output.
    public static var exec: Self { Self("guest-exec", .filesAndPrograms) }
}

extension AgentCommand where Arguments == ExecStatusArguments, Result == GuestExecStatus {
    /// `guest-exec-status`: reaps the process once it has exited (so not read-only).
    public static var execStatus: Self { Self("guest-exec-status", .filesAndPrograms) }
}

extension AgentCommand where Arguments == SetUserPasswordArguments, Result == EmptyReply {
    /// `guest-set-user-password`.
    public static var setUserPassword: Self { Self("guest-set-user-password", .stateChanging) }
}

extension AgentCommand where Arguments == SSHUserArguments, Result == GuestAuthorizedKeys {
    /// `guest-ssh-get-authorized-keys`.
    public static var sshGetAuthorizedKeys: Self { Self("guest-ssh-get-authorized-keys", .readOnly) }
}

extension AgentCommand where Arguments == SSHAddAuthorizedKeysArguments, Result == EmptyReply {
    /// `guest-ssh-add-authorized-keys`; `reset` replaces the existing keys.
    public static var sshAddAuthorizedKeys: Self { Self("guest-ssh-add-authorized-keys", .stateChanging) }
}

extension AgentCommand where Arguments == SSHRemoveAuthorizedKeysArguments, Result == EmptyReply {
    /// `guest-ssh-remove-authorized-keys` (missing keys are not an error).
    public static var sshRemoveAuthorizedKeys: Self { Self("guest-ssh-remove-authorized-keys", .stateChanging) }
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

// The typed calls the control API makes.
extension AgentClient {
    /// `guest-exec` of `path` with `arguments` and `environment` ("NAME=value"), feeding `input`
    /// to stdin; poll `execStatus(pid:)` for the outcome and captured output.
    public func exec(
        path: String,
        arguments execArguments: [String]? = nil,
        environment: [String]? = nil,
        input: Data? = nil,
        captureOutput: GuestExecCaptureOutput? = nil,
        timeout: Duration? = nil
    ) async throws(AgentError) -> GuestExec {
        let arguments = ExecArguments(
            path: path, arguments: execArguments, environment: environment, input: input, captureOutput: captureOutput)
        return try await call(.exec, arguments, timeout: timeout)
    }

    /// `guest-exec-status`.
    public func execStatus(pid: Int, timeout: Duration? = nil) async throws(AgentError) -> GuestExecStatus {
        try await call(.execStatus, ExecStatusArguments(pid: pid), timeout: timeout)
    }
}
