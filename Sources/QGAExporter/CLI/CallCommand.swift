import ArgumentParser
import Foundation
import Logging
import NIOHTTP1
import QGAProtocol

/// `qga_exporter call GUEST COMMAND [JSON]` through a running exporter's control API, or
/// `qga_exporter call --socket PATH COMMAND [JSON]` straight to an agent socket, like
/// `virsh qemu-agent-command`. Prints `{"return": ...}`.
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Run a guest agent command and print its JSON answer.",
        discussion: """
        Through a running exporter (its control API; the exporter keeps the agent's one
        connection):
            qga_exporter call web1 guest-get-osinfo
            qga_exporter call web1 guest-exec '{"path": "/bin/uname", "arg": ["-a"], "capture-output": true}'
        Straight to an agent socket (only while no exporter holds it):
            qga_exporter call --socket /run/qemu/web1.qga guest-ping
        COMMAND may leave out the guest- prefix (ping = guest-ping).
        """)

    @Option(name: .customLong("socket"), help: ArgumentHelp(
        "Talk to this agent socket directly instead of a running exporter (a path, or unix:/vsock:/tcp: address).",
        valueName: "path"))
    var socket: String?

    @Option(name: .customLong("timeout"), help: "With --socket: deadline for the command (e.g. 10s).")
    var timeout = "10s"

    @OptionGroup var control: ControlClientOptions

    @Argument(help: ArgumentHelp("GUEST COMMAND [JSON], or with --socket: COMMAND [JSON].", valueName: "args"))
    var words: [String] = []

    func validate() throws {
        let range = socket == nil ? 2...3 : 1...2
        guard range.contains(words.count) else {
            throw ValidationError(socket == nil ? "give GUEST COMMAND [JSON]" : "give COMMAND [JSON] (no GUEST with --socket)")
        }
        guard let value = PrometheusDuration.parse(timeout), value > .zero else {
            throw ValidationError("--timeout: invalid duration \(timeout.debugDescription)")
        }
        _ = try arguments()
    }

    /// The JSON arguments, which must be an object.
    private func arguments() throws -> JSONValue? {
        guard let text = words.count == (socket == nil ? 3 : 2) ? words.last : nil else { return nil }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)), case .object = value else {
            throw ValidationError("JSON arguments must be an object, e.g. '{\"path\": \"/etc/hostname\"}'")
        }
        return value
    }

    func run() async throws {
        if let socket {
            try await callAgent(socket: socket)
        } else {
            try await callExporter(guest: words[0], command: CLIOutput.commandName(words[1]))
        }
    }

    private func callExporter(guest: String, command: String) async throws {
        let client = try control.client()
        let body = try arguments().map { JSONBody.encode($0) }
        let path = "/api/v1/guests/\(Self.escape(guest))/commands/\(Self.escape(command))"
        let reply: ControlHTTPClient.Reply
        do {
            reply = try await client.send(.POST, path, body: body)
        } catch {
            CLIOutput.printError("qga_exporter call: cannot reach the control API: \(error)")
            throw ExitCode(1)
        }
        guard (200..<300).contains(reply.status) else {
            CLIOutput.printError(CLIOutput.pretty(reply.body))
            throw ExitCode(1)
        }
        print(CLIOutput.pretty(reply.body))
    }

    private func callAgent(socket: String) async throws {
        let address: AgentAddress
        do {
            address = try AgentAddress(parsing: socket.hasPrefix("/") ? "unix:\(socket)" : socket)
        } catch {
            throw ValidationError("--socket: \(error)")
        }
        let deadline = PrometheusDuration.parse(timeout)!
        var logger = Logger(label: "qga_exporter.call")
        logger.logLevel = .error
        let client = AgentClient(
            address: address,
            options: AgentClientOptions(connectTimeout: deadline, syncTimeout: deadline, commandTimeout: deadline),
            logger: logger)
        let command = CLIOutput.commandName(words[0])
        let arguments = try arguments()
        do throws(AgentError) {
            if !AgentCommands.answersOnSuccess(command) {
                try await client.executeNoReply(command, arguments: arguments)
                print(CLIOutput.pretty(["sent": true]))
            } else {
                let result = try await client.executeRaw(command, arguments: arguments)
                print(CLIOutput.pretty(["return": result]))
            }
        } catch {
            await client.close()
            var members = JSONObject(["kind": .string(error.kind.rawValue), "desc": .string(error.message)])
            if let agentClass = error.agentClass { members["class"] = .string(agentClass) }
            CLIOutput.printError(CLIOutput.pretty(["error": .object(members)]))
            throw ExitCode(1)
        }
        await client.close()
    }

    static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? segment
    }
}
