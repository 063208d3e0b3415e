import ArgumentParser
import Foundation
import NIOHTTP1
import QGAProtocol

/// `qga_exporter guests`: the guests a running exporter polls, with state and agent version.
struct GuestsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guests",
        abstract: "List the guests of a running exporter (through its control API).")

    @Flag(name: .customLong("json"), help: "Print the API's JSON instead of a table.")
    var json = false

    @OptionGroup var control: ControlClientOptions

    func run() async throws {
        let client = try control.client()
        let reply: ControlHTTPClient.Reply
        do {
            reply = try await client.send(.GET, "/api/v1/guests")
        } catch {
            CLIOutput.printError("qga_exporter guests: cannot reach the control API: \(error)")
            throw ExitCode(1)
        }
        guard reply.status == 200 else {
            CLIOutput.printError(CLIOutput.pretty(reply.body))
            throw ExitCode(1)
        }
        if json {
            print(CLIOutput.pretty(reply.body))
            return
        }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(reply.body)),
              let guests = value["guests"]?.arrayValue
        else {
            CLIOutput.printError("qga_exporter guests: unexpected answer: \(String(decoding: reply.body, as: UTF8.self))")
            throw ExitCode(1)
        }
        print(Self.table(guests), terminator: "")
    }

    /// Aligned columns: NAME STATE AGENT ADDRESS ERROR.
    static func table(_ guests: [JSONValue]) -> String {
        var rows = [["NAME", "STATE", "AGENT", "ADDRESS", "ERROR"]]
        for guest in guests {
            rows.append(["name", "state", "agent_version", "address", "last_error"].map { guest[$0]?.stringValue ?? "-" })
        }
        var widths = [Int](repeating: 0, count: 4)
        for row in rows { for column in 0..<4 { widths[column] = max(widths[column], row[column].count) } }
        return rows.map { row in
            (0..<4).map { row[$0].padding(toLength: widths[$0] + 2, withPad: " ", startingAt: 0) }.joined() + row[4]
        }.joined(separator: "\n") + "\n"
    }
}
