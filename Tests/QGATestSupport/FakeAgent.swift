import Foundation
import NIOCore
import NIOPosix

/// An in-process guest agent on a unix socket, for faults the real qemu-ga will not produce.
///
/// It behaves like the real agent where it matters: one connection served at a time (the next
/// waits, silently), requests handled strictly in order, 0xFF answered with the agent's
/// id-less parse error, request ids echoed. What it answers is up to a `Script`: a function
/// from each request to a list of actions (reply, error, raw bytes, delay, disconnect).
public final class FakeAgent: @unchecked Sendable {
    /// One request as the agent saw it.
    public struct Request: Sendable {
        /// `execute` member (nil if absent).
        public let command: String?
        /// `arguments` as JSON text (nil if absent).
        public let argumentsJSON: String?
        /// `arguments.id` when it is an integer (sync requests).
        public let syncID: Int64?
        /// `id` as JSON text, echoed in replies.
        public let idJSON: String?
        /// The request's text.
        public let text: String
        /// 1-based number of the connection it came on.
        public let connection: Int

        /// One member of `arguments`, as JSONSerialization parses it.
        public func argument(_ name: String) -> Any? {
            guard let argumentsJSON,
                let object = try? JSONSerialization.jsonObject(with: Data(argumentsJSON.utf8)) as? [String: Any]
            else { return nil }
            return object[name]
        }
    }

    public enum Action: Sendable {
        /// `{"return": <json>, "id": ...}` followed by a newline.
        case reply(json: String)
        /// `{"error": {"class": ..., "desc": ...}, "id": ...}`.
        case error(class: String, desc: String)
        /// Bytes as given (garbage, partial JSON, stray 0xFF, replies with foreign ids...).
        case raw([UInt8])
        /// The `guest-sync-delimited` answer: 0xFF then `{"return": arguments.id}`.
        case syncDelimitedReply
        /// Waits before the next action (the agent is busy: later requests wait too).
        case delay(Duration)
        /// Closes the connection.
        case disconnect
    }

    public typealias Script = @Sendable (Request) -> [Action]

    public let socketPath: String
    private let directory: String
    private let script: Script
    private let answersDelimiter: Bool
    private let keepsUndeliveredOutput: Bool
    /// Output a client left before reading it (see `keepsUndeliveredOutput`).
    private var undelivered: [UInt8] = []
    private let lock = NSLock()
    private var _requests: [Request] = []
    private var _connections = 0
    private var serverChannel: (any Channel)?
    private var serveTask: Task<Void, Never>?

    /// Requests received so far, in order.
    public var requests: [Request] { lock.withLock { _requests } }
    /// Commands received so far, in order.
    public var commands: [String] { requests.compactMap(\.command) }
    /// Connections accepted so far.
    public var connectionCount: Int { lock.withLock { _connections } }

    private init(directory: String, script: @escaping Script, answersDelimiter: Bool, keepsUndeliveredOutput: Bool) {
        self.directory = directory
        self.socketPath = directory + "/fake.sock"
        self.script = script
        self.answersDelimiter = answersDelimiter
        self.keepsUndeliveredOutput = keepsUndeliveredOutput
    }

    public enum Transport: Sendable {
        case unix
        case tcp
    }

    /// TCP port when started with `.tcp`.
    public private(set) var tcpPort: Int?

    /// The address in `AgentAddress(parsing:)` syntax.
    public var address: String {
        if let tcpPort { return "tcp:127.0.0.1:\(tcpPort)" }
        return "unix:\(socketPath)"
    }

    /// Starts listening. `answersDelimiter: false` keeps quiet about 0xFF (a silent agent).
    /// `keepsUndeliveredOutput` is virtio-serial's way: what the agent writes after its client
    /// left (a late reply, the rest of a request's answer) reaches the next client first.
    public static func start(
        transport: Transport = .unix,
        answersDelimiter: Bool = true,
        keepsUndeliveredOutput: Bool = false,
        script: @escaping Script = FakeAgent.standard
    ) async throws -> FakeAgent {
        let agent = FakeAgent(
            directory: try TemporaryDirectory.make(prefix: "qga-fake"), script: script,
            answersDelimiter: answersDelimiter, keepsUndeliveredOutput: keepsUndeliveredOutput)
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 8)
        let wrap: @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<ByteBuffer, ByteBuffer>> = { child in
            child.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child)
            }
        }
        let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
        switch transport {
        case .unix:
            server = try await bootstrap.bind(
                unixDomainSocketPath: agent.socketPath, cleanupExistingSocketFile: true, childChannelInitializer: wrap)
        case .tcp:
            server = try await bootstrap.bind(host: "127.0.0.1", port: 0, childChannelInitializer: wrap)
            agent.tcpPort = server.channel.localAddress?.port
        }
        agent.serverChannel = server.channel
        agent.serveTask = Task {
            try? await server.executeThenClose { connections in
                // One at a time, like the real agent: the next connection waits its turn.
                for try await connection in connections {
                    await agent.serve(connection)
                }
            }
        }
        return agent
    }

    /// Answers sync, sync-delimited, ping, info and get-time like a healthy agent; any other
    /// command is CommandNotFound, as qemu-ga says it.
    public static func standard(_ request: Request) -> [Action] {
        switch request.command {
        case "guest-sync-delimited": return [.syncDelimitedReply]
        case "guest-sync": return [.reply(json: "\(request.syncID ?? 0)")]
        case "guest-ping": return [.reply(json: "{}")]
        case "guest-get-time": return [.reply(json: "1700000000000000000")]
        case "guest-info":
            return [
                .reply(
                    json: #"{"version": "7.2.0", "supported_commands": [{"enabled": true, "name": "guest-ping", "success-response": true}, {"enabled": false, "name": "guest-shutdown", "success-response": false}]}"#
                )
            ]
        case let command?:
            return [.error(class: "CommandNotFound", desc: "The command \(command) has not been found")]
        case nil:
            return [.error(class: "GenericError", desc: "JSON parse error, missing 'execute'")]
        }
    }

    public func stop() async {
        serveTask?.cancel()
        try? await serverChannel?.close()
        await serveTask?.value
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Serving

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let number = lock.withLock {
            _connections += 1
            return _connections
        }
        try? await connection.executeThenClose { inbound, outbound in
            let left = lock.withLock { () -> [UInt8] in
                defer { undelivered = [] }
                return undelivered
            }
            if !left.isEmpty { try await outbound.write(ByteBuffer(bytes: left)) }
            var splitter = RequestSplitter()
            for try await chunk in inbound {
                for item in splitter.feed(Array(chunk.readableBytesView)) {
                    let actions: [Action]
                    switch item {
                    case .delimiter:
                        guard answersDelimiter else { continue }
                        actions = [.raw(Array(Self.strayByteError.utf8))]
                    case .request(let text):
                        let request = Self.parse(text, connection: number)
                        lock.withLock { _requests.append(request) }
                        actions = script(request)
                    }
                    for (index, action) in actions.enumerated() {
                        switch action {
                        case .delay(let duration):
                            try await Task.sleep(for: duration)
                        case .disconnect:
                            return
                        default:
                            let bytes = Self.bytes(for: action, request: item)
                            do {
                                try await outbound.write(ByteBuffer(bytes: bytes))
                            } catch {
                                keepUndelivered(bytes, then: actions[(index + 1)...], request: item)
                                throw error
                            }
                        }
                    }
                }
            }
        }
    }

    /// The client is gone mid-answer: with `keepsUndeliveredOutput` the rest waits for the next.
    private func keepUndelivered(_ bytes: [UInt8], then rest: ArraySlice<Action>, request item: RequestSplitter.Item) {
        guard keepsUndeliveredOutput else { return }
        var output = bytes
        for action in rest {
            if case .disconnect = action { break }
            output += Self.bytes(for: action, request: item)
        }
        lock.withLock { undelivered += output }
    }

    private static let strayByteError =
        #"{"error": {"class": "GenericError", "desc": "JSON parse error, stray '\uFFFD'"}}"# + "\n"

    private static func bytes(for action: Action, request item: RequestSplitter.Item) -> [UInt8] {
        let request: Request? = if case .request(let text) = item { parse(text, connection: 0) } else { nil }
        let idSuffix = request?.idJSON.map { ", \"id\": \($0)" } ?? ""
        switch action {
        case .reply(let json):
            return Array("{\"return\": \(json)\(idSuffix)}\n".utf8)
        case .error(let errorClass, let desc):
            let quoted = String(decoding: try! JSONSerialization.data(withJSONObject: desc, options: .fragmentsAllowed), as: UTF8.self)
            return Array("{\"error\": {\"class\": \"\(errorClass)\", \"desc\": \(quoted)}\(idSuffix)}\n".utf8)
        case .raw(let bytes):
            return bytes
        case .syncDelimitedReply:
            return [0xFF] + Array("{\"return\": \(request?.syncID ?? 0)\(idSuffix)}\n".utf8)
        case .delay, .disconnect:
            return []
        }
    }

    static func parse(_ text: String, connection: Int) -> Request {
        let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
        let idJSON = object?["id"].flatMap {
            (try? JSONSerialization.data(withJSONObject: $0, options: .fragmentsAllowed)).map {
                String(decoding: $0, as: UTF8.self)
            }
        }
        let arguments = object?["arguments"] as? [String: Any]
        let argumentsJSON = arguments.flatMap {
            (try? JSONSerialization.data(withJSONObject: $0)).map { String(decoding: $0, as: UTF8.self) }
        }
        return Request(
            command: object?["execute"] as? String, argumentsJSON: argumentsJSON,
            syncID: (arguments?["id"] as? NSNumber)?.int64Value, idJSON: idJSON, text: text,
            connection: connection)
    }
}

/// Splits the request stream into JSON objects (by brace depth, aware of strings) and 0xFF
/// bytes. Like the real agent's streaming parser, 0xFF abandons a half-read object.
struct RequestSplitter {
    enum Item: Sendable {
        case delimiter
        case request(String)
    }

    private var current: [UInt8] = []
    private var depth = 0
    private var inString = false
    private var escaped = false

    mutating func feed(_ bytes: [UInt8]) -> [Item] {
        var items: [Item] = []
        for byte in bytes {
            if byte == 0xFF {
                reset()
                items.append(.delimiter)
                continue
            }
            if depth == 0 {
                guard byte == UInt8(ascii: "{") else { continue }  // whitespace between requests
            }
            current.append(byte)
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    items.append(.request(String(decoding: current, as: UTF8.self)))
                    reset()
                }
            default: break
            }
        }
        return items
    }

    private mutating func reset() {
        current.removeAll(keepingCapacity: true)
        depth = 0
        inString = false
        escaped = false
    }
}
