import ArgumentParser
import Foundation
import QGAProtocol

/// How the CLI reaches a running exporter's control API, and who it says it is.
struct ControlClientOptions: ParsableArguments {
    @Option(name: .customLong("control.address"),
            help: "The control API: unix:/path, http://host:port or https://host:port. (default: $QGA_EXPORTER_CONTROL or \(ControlEndpoint.defaultText))")
    var address: String?

    @Option(name: .customLong("token-file"), help: "File holding a bearer token (default: $QGA_EXPORTER_TOKEN).")
    var tokenFile: String?

    @Option(name: .customLong("user"), help: "Basic auth user; the password comes from --password-file or $QGA_EXPORTER_PASSWORD.")
    var user: String?

    @Option(name: .customLong("password-file"), help: "File holding the basic auth password.")
    var passwordFile: String?

    @Option(name: .customLong("ca-file"), help: "CA bundle to verify an https control API with.")
    var caFile: String?

    @Flag(name: .customLong("insecure-skip-verify"), help: "Do not verify the https control API's certificate.")
    var insecureSkipVerify = false

    func client() throws -> ControlHTTPClient {
        let environment = ProcessInfo.processInfo.environment
        let endpoint: ControlEndpoint
        do {
            endpoint = try ControlEndpoint.parse(address ?? environment["QGA_EXPORTER_CONTROL"] ?? ControlEndpoint.defaultText)
        } catch { throw ValidationError(error.description) }
        var authorization: String?
        if let user {
            let password = try passwordFile.map(Self.firstLine) ?? environment["QGA_EXPORTER_PASSWORD"] ?? ""
            authorization = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        } else if let token = try tokenFile.map(Self.firstLine) ?? environment["QGA_EXPORTER_TOKEN"], !token.isEmpty {
            authorization = "Bearer \(token)"
        }
        return ControlHTTPClient(endpoint: endpoint, authorization: authorization, caFile: caFile,
                                 insecureSkipVerify: insecureSkipVerify)
    }

    private static func firstLine(_ path: String) throws -> String {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ValidationError("cannot read \(path): \(error.localizedDescription)")
        }
        return String(text.split(whereSeparator: \.isNewline).first ?? "").trimmingCharacters(in: .whitespaces)
    }
}

/// JSON the CLI prints: indented, keys sorted.
enum CLIOutput {
    /// Re-indents JSON without touching its numbers (uint64 counters stay exact); other text as is.
    static func pretty(_ bytes: [UInt8]) -> String {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        return pretty(value)
    }

    static func pretty(_ value: JSONValue) -> String {
        String(decoding: JSONBody.encode(value, pretty: true), as: UTF8.self)
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// `ping` means `guest-ping`, as every command starts with `guest-`.
    static func commandName(_ text: String) -> String {
        text.hasPrefix("guest-") ? text : "guest-" + text
    }
}
