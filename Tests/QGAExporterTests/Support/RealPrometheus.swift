import Foundation
import QGATestSupport

/// A real Prometheus server (Debian's `prometheus`) on a free loopback port, scraping targets
/// every second, queried through its HTTP API.
final class RealPrometheus: @unchecked Sendable {
    let port: Int
    private let process: Process
    private let directory: String

    static func start(scraping target: String, metricsPath: String = "/metrics") async throws -> RealPrometheus {
        let directory = try TemporaryDirectory.make(prefix: "qga-prom")
        let config = """
        global: {scrape_interval: 1s, evaluation_interval: 1s}
        scrape_configs:
          - job_name: qga
            metrics_path: \(metricsPath)
            static_configs: [{targets: ["\(target)"]}]
        """
        try config.write(toFile: directory + "/prometheus.yml", atomically: true, encoding: .utf8)
        let port = try FreePort.loopback()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Command.which("prometheus"))
        process.arguments = ["--config.file=\(directory)/prometheus.yml", "--storage.tsdb.path=\(directory)/data",
                             "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn"]
        let log = FileHandle(forWritingAtPath: { FileManager.default.createFile(atPath: directory + "/log", contents: nil); return directory + "/log" }())
        process.standardOutput = log
        process.standardError = log
        try process.run()
        return RealPrometheus(port: port, process: process, directory: directory)
    }

    private init(port: Int, process: Process, directory: String) {
        self.port = port
        self.process = process
        self.directory = directory
    }

    /// Instant query through /api/v1/query; the `metric` label sets of the result.
    func query(_ expression: String) async throws -> [[String: String]] {
        let encoded = expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? expression
        let response = try await HTTP.get("http://127.0.0.1:\(port)/api/v1/query?query=\(encoded)")
        guard let json = try JSONSerialization.jsonObject(with: response.body) as? [String: Any],
              json["status"] as? String == "success",
              let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]]
        else { throw HTTP.HTTPError(message: "query \(expression) failed: \(response.text)") }
        return result.compactMap { $0["metric"] as? [String: String] }
    }

    /// Waits (up to a minute) until `metric` has series for every value of `label` wanted.
    func waitForSeries(_ metric: String, label: String, values: Set<String>) async throws -> Set<String> {
        var seen: Set<String> = []
        for _ in 0..<120 {
            seen = Set((try? await query(metric))?.compactMap { $0[label] } ?? [])
            if values.isSubset(of: seen) { return seen }
            try await Task.sleep(for: .milliseconds(500))
        }
        return seen
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
