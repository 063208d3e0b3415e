import Foundation

/// Something a simulated guest saw or did, for tests and for `--event-log`: every command it
/// received (and how it answered), connections, and the faults it played.
public struct SimulatorEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case connected
        case disconnected
        /// A complete request or syntax error, with its outcome.
        case command
        /// A fault mode acted (the `detail` says which and how).
        case fault
        case shutdown
    }

    public var guest: String
    /// Host time, seconds since the epoch.
    public var time: Double
    public var kind: Kind
    /// The command name, for `command` events (nil for a line that was not a valid request).
    public var command: String?
    /// The request's `id` as JSON text, if it had one.
    public var id: String?
    /// "ok", "no-reply", or the error class and description.
    public var result: String?
    public var detail: String?

    public init(
        guest: String, time: Double, kind: Kind, command: String? = nil, id: String? = nil,
        result: String? = nil, detail: String? = nil
    ) {
        self.guest = guest
        self.time = time
        self.kind = kind
        self.command = command
        self.id = id
        self.result = result
        self.detail = detail
    }

    /// One JSON line, as the event log file holds it.
    public var jsonLine: [UInt8] {
        var line = AgentJSONEncoder.encode(.object([
            "time": .double(time), "guest": .string(guest), "event": .string(kind.rawValue),
            "command": command.map(JSONValue.string), "id": id.map(JSONValue.string),
            "result": result.map(JSONValue.string), "detail": detail.map(JSONValue.string),
        ]))
        line.append(0x0A)
        return line
    }
}

/// Appends events to a file, one JSON object per line, from any thread.
final class EventLogFile: @unchecked Sendable {
    // The handle is only touched under the lock.
    private let handle: FileHandle
    private let lock = NSLock()

    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    func append(_ event: SimulatorEvent) {
        let data = Data(event.jsonLine)
        lock.lock()
        defer { lock.unlock() }
        handle.write(data)
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        try? handle.close()
    }
}
