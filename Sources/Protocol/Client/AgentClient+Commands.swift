#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// The typed calls the exporter and its control API make, from plain values.
extension AgentClient {
    /// `guest-info`.
    public func info(timeout: Duration? = nil) async throws(AgentError) -> GuestAgentInfo {
        try await call(.info, timeout: timeout)
    }

    /// `guest-set-time` to `nanoseconds` since the epoch, or from the RTC when nil.
    public func setTime(nanoseconds: Int64?, timeout: Duration? = nil) async throws(AgentError) {
        try await call(.setTime, SetTimeArguments(time: nanoseconds), timeout: timeout)
    }

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

    /// `guest-fsfreeze-status`.
    public func fsfreezeStatus(timeout: Duration? = nil) async throws(AgentError) -> GuestFsfreezeStatus {
        try await call(.fsfreezeStatus, timeout: timeout)
    }

    /// `guest-fsfreeze-freeze`: how many filesystems are frozen.
    public func fsfreezeFreeze(timeout: Duration? = nil) async throws(AgentError) -> Int {
        try await call(.fsfreezeFreeze, timeout: timeout)
    }

    /// `guest-fsfreeze-freeze-list` of `mountpoints` (all when nil).
    public func fsfreezeFreezeList(mountpoints: [String]? = nil, timeout: Duration? = nil) async throws(AgentError)
        -> Int
    {
        try await call(.fsfreezeFreezeList, FsfreezeFreezeListArguments(mountpoints: mountpoints), timeout: timeout)
    }

    /// `guest-fsfreeze-thaw`: how many filesystems this call thawed.
    public func fsfreezeThaw(timeout: Duration? = nil) async throws(AgentError) -> Int {
        try await call(.fsfreezeThaw, timeout: timeout)
    }

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
