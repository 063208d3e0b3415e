import Foundation
import QGATestSupport

/// A real HTTP request over a real socket, made by curl.
struct HTTPResponse {
    var status: Int
    var headers: [String: String]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
}

enum HTTP {
    static func get(_ url: String, headers: [String: String] = [:], method: String = "GET", body: Data? = nil,
                    timeout: Double = 10) async throws -> HTTPResponse {
        var arguments = ["-s", "-S", "-i", "--max-time", String(timeout), "-X", method]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { arguments += ["-H", "\(name): \(value)"] }
        if body != nil { arguments += ["--data-binary", "@-"] }
        arguments.append(url)
        let result = try await Command.run("curl", arguments, stdin: body)
        guard result.status == 0 else { throw HTTPError(message: "curl \(url) failed: \(result.stderr)") }
        return try parse(result.stdout)
    }

    /// Splits curl's `-i` output into status line, headers and the raw body.
    static func parse(_ data: Data) throws -> HTTPResponse {
        let separator = Data("\r\n\r\n".utf8)
        guard let range = data.range(of: separator) else { throw HTTPError(message: "no header end in response") }
        let head = String(decoding: data[..<range.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = head.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else {
            throw HTTPError(message: "bad status line")
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return HTTPResponse(status: status, headers: headers, body: Data(data[range.upperBound...]))
    }

    struct HTTPError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
