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
            let moduleName = query["module"].map(String.init) ?? ProbeModule.node.rawValue
            guard let module = ProbeModule(rawValue: moduleName) else {
                return plain(.badRequest, "unknown module \(moduleName.debugDescription): use node or qga\n")
            }
            guard let exposition = store.exposition(named: target, module: module) else {
                return plain(.notFound, "unknown guest \(target.debugDescription)\n")
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

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: text)))
    }
}

/// What `/probe` answers with: node_exporter's names or ours.
enum ProbeModule: String, Sendable {
    case node
    case qga
}
