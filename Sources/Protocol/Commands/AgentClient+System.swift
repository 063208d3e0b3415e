#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Typed commands: identity, users, processes, accounts.
extension AgentClient {
    /// `guest-get-host-name`.
    public func getHostName(timeout: Duration? = nil) async throws(AgentError) -> GuestHostName {
        try await execute(QGACommand.getHostName, returning: GuestHostName.self, timeout: timeout)
    }

    /// `guest-get-users`: logged-in users, each once, with the earliest login time.
    public func getUsers(timeout: Duration? = nil) async throws(AgentError) -> [GuestUser] {
        try await execute(QGACommand.getUsers, returning: [GuestUser].self, timeout: timeout)
    }

    /// `guest-get-timezone`.
    public func getTimezone(timeout: Duration? = nil) async throws(AgentError) -> GuestTimezone {
        try await execute(QGACommand.getTimezone, returning: GuestTimezone.self, timeout: timeout)
    }

    /// `guest-get-osinfo`.
    public func getOSInfo(timeout: Duration? = nil) async throws(AgentError) -> GuestOSInfo {
        try await execute(QGACommand.getOSInfo, returning: GuestOSInfo.self, timeout: timeout)
    }

    /// `guest-get-devices` (Windows): device drivers.
    public func getDevices(timeout: Duration? = nil) async throws(AgentError) -> [GuestDeviceInfo] {
        try await execute(QGACommand.getDevices, returning: [GuestDeviceInfo].self, timeout: timeout)
    }

    /// `guest-exec`: starts `path` with `arguments` and `environment` ("NAME=value"), feeding
    /// `input` to stdin; poll `execStatus(pid:)` for the outcome and captured output.
    public func exec(
        path: String,
        arguments execArguments: [String]? = nil,
        environment: [String]? = nil,
        input: Data? = nil,
        captureOutput: GuestExecCaptureOutput? = nil,
        timeout: Duration? = nil
    ) async throws(AgentError) -> GuestExec {
        struct Arguments: Encodable, Sendable {
            let path: String
            let arg: [String]?
            let env: [String]?
            let inputData: String?
            let captureOutput: GuestExecCaptureOutput?
            enum CodingKeys: String, CodingKey {
                case path, arg, env
                case inputData = "input-data"
                case captureOutput = "capture-output"
            }
        }
        let args = Arguments(
            path: path, arg: execArguments, env: environment, inputData: input?.base64EncodedString(),
            captureOutput: captureOutput)
        return try await execute(QGACommand.exec, arguments: args, returning: GuestExec.self, timeout: timeout)
    }

    /// `guest-exec-status`: reaps the process once it has exited.
    public func execStatus(pid: Int, timeout: Duration? = nil) async throws(AgentError) -> GuestExecStatus {
        try await execute(
            QGACommand.execStatus, arguments: arguments(["pid": JSONValue(pid)]), returning: GuestExecStatus.self,
            timeout: timeout)
    }

    /// `guest-set-user-password`. `password` is the plain (or, with `crypted`, crypt()ed) text;
    /// it is base64-encoded here as the protocol requires.
    public func setUserPassword(username: String, password: String, crypted: Bool, timeout: Duration? = nil)
        async throws(AgentError)
    {
        let args = arguments([
            "username": .string(username),
            "password": .string(Data(password.utf8).base64EncodedString()),
            "crypted": .bool(crypted),
        ])
        _ = try await execute(QGACommand.setUserPassword, arguments: args, returning: EmptyReply.self, timeout: timeout)
    }

    /// `guest-ssh-get-authorized-keys`.
    public func sshGetAuthorizedKeys(username: String, timeout: Duration? = nil) async throws(AgentError)
        -> GuestAuthorizedKeys
    {
        try await execute(
            QGACommand.sshGetAuthorizedKeys, arguments: arguments(["username": .string(username)]),
            returning: GuestAuthorizedKeys.self, timeout: timeout)
    }

    /// `guest-ssh-add-authorized-keys`; `reset` replaces the existing keys.
    public func sshAddAuthorizedKeys(username: String, keys: [String], reset: Bool? = nil, timeout: Duration? = nil)
        async throws(AgentError)
    {
        let args = arguments(["username": .string(username), "keys": JSONValue(keys), "reset": reset.map(JSONValue.bool)])
        _ = try await execute(QGACommand.sshAddAuthorizedKeys, arguments: args, returning: EmptyReply.self, timeout: timeout)
    }

    /// `guest-ssh-remove-authorized-keys` (missing keys are not an error).
    public func sshRemoveAuthorizedKeys(username: String, keys: [String], timeout: Duration? = nil)
        async throws(AgentError)
    {
        let args = arguments(["username": .string(username), "keys": JSONValue(keys)])
        _ = try await execute(
            QGACommand.sshRemoveAuthorizedKeys, arguments: args, returning: EmptyReply.self, timeout: timeout)
    }
}
