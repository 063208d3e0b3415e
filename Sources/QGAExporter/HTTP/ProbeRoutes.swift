import Hummingbird
import QGAMetrics

/// `/probe?target=GUEST&module=node|qga`: one guest's metrics, the multi-target pattern of the
/// blackbox and snmp exporters. `node` speaks node_exporter's names so its dashboards and alerts
/// work unchanged; `qga` is the guest's own slice of `/metrics`.
enum ProbeRoutes {
    static func add(to router: Router<BasicRequestContext>, store: SnapshotStore) {
        router.get("/probe") { request, _ -> Response in
            let query = request.uri.queryParameters
            guard let target = query["target"].map(String.init), !target.isEmpty else {
                return plain(.badRequest, "target parameter is missing\n")
            }
            let module = query["module"].map(String.init) ?? "node"
            guard module == "node" || module == "qga" else {
                return plain(.badRequest, "unknown module \(module.debugDescription): use node or qga\n")
            }
            guard let report = store.report(named: target) else {
                return plain(.notFound, "unknown guest \(target.debugDescription)\n")
            }
            let families = module == "node"
                ? NodeTranslation.translate(report.families, guest: report.name) : report.families
            let format = ContentNegotiation.format(accept: request.headers[.accept])
            guard let encoding = ContentNegotiation.encoding(acceptEncoding: request.headers[.acceptEncoding]) else {
                return plain(.notAcceptable, "no acceptable content encoding\n")
            }
            var body = ByteBuffer(bytes: ExpositionEncoder.encode(MetricSet(families), format: format))
            var headers: HTTPFields = [.contentType: format.contentType]
            if encoding == .gzip {
                headers[.contentEncoding] = "gzip"
                body = Gzip.body(of: body)
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
        }
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: text)))
    }
}
