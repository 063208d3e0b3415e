import HTTPTypes
import Hummingbird
import QGAMetrics

/// `/probe?target=GUEST&module=node|qga`: one guest's metrics, the multi-target pattern of the
/// blackbox and snmp exporters. `node` speaks node_exporter's names so its dashboards and alerts
/// work unchanged; `qga` is the guest's own slice of `/metrics`.
///
/// Like those exporters it honours Prometheus' `X-Prometheus-Scrape-Timeout-Seconds`: when a poll
/// of the guest is running, or its first poll is still to come, the answer waits for that poll,
/// but never past the scrape's deadline less `timeoutOffset`; then it serves the newest data it
/// has. Without the header it answers at once from the last poll. It never calls the agent.
enum ProbeRoutes {
    /// Kept free of the scraper's deadline for the network and the answer, as the blackbox
    /// exporter's `--timeout-offset` (same default).
    static let timeoutOffset: Duration = .milliseconds(500)
    static let scrapeTimeoutHeader = HTTPField.Name("X-Prometheus-Scrape-Timeout-Seconds")!

    static func add(to router: Router<BasicRequestContext>, store: SnapshotStore) {
        router.get("/probe") { request, _ -> Response in
            let query = request.uri.queryParameters
            guard let target = query["target"].map(String.init), !target.isEmpty else {
                return plain(.badRequest, "target parameter is missing\n")
            }
            let moduleName = query["module"].map(String.init) ?? ProbeModule.node.rawValue
            guard let module = ProbeModule(rawValue: moduleName) else {
                return plain(.badRequest, "unknown module \(moduleName.debugDescription): use node or qga\n")
            }
            let wait: Duration
            switch waitBudget(header: request.headers[scrapeTimeoutHeader]) {
            case .success(let budget): wait = budget
            case .failure(let problem): return plain(.badRequest, problem.message)
            }
            guard store.report(named: target) != nil else {
                return plain(.notFound, "unknown guest \(target.debugDescription)\n")
            }
            await store.waitForPoll(of: target, upTo: wait)
            guard let exposition = store.exposition(named: target, module: module) else {
                return plain(.notFound, "guest \(target.debugDescription) is gone\n")
            }
            let format = ContentNegotiation.format(accept: request.headers[.accept])
            guard let encoding = ContentNegotiation.encoding(acceptEncoding: request.headers[.acceptEncoding]) else {
                return plain(.notAcceptable, "no acceptable content encoding\n")
            }
            // Encoded at poll time: the answer only copies bytes.
            let merge = ExpositionMerge([exposition])
            var headers: HTTPFields = [.contentType: format.contentType]
            if encoding == .gzip { headers[.contentEncoding] = "gzip" }
            let body = encoding == .gzip ? merge.gzipBody(format) : merge.body(format)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
        }
    }

    struct BadHeader: Error {
        let message: String
    }

    /// How long a probe may wait for a running poll: the scrape timeout less the offset; zero
    /// without the header. A header that is not a positive number of seconds is refused.
    static func waitBudget(header: String?) -> Result<Duration, BadHeader> {
        guard let header else { return .success(.zero) }
        guard let seconds = Double(header), seconds.isFinite, seconds > 0 else {
            return .failure(BadHeader(message: "\(scrapeTimeoutHeader.rawName): \(header.debugDescription) is not a positive number of seconds\n"))
        }
        return .success(max(.zero, .milliseconds(Int64(min(seconds, 86_400) * 1000)) - timeoutOffset))
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: text)))
    }
}

/// What `/probe` answers with: node_exporter's names or ours.
enum ProbeModule: String, Sendable {
    case node
    case qga
}
