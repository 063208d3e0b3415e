import Hummingbird
import QGAMetrics

/// `/metrics`: the last snapshot, in the format and encoding the scraper asked for.
enum MetricsRoutes {
    static func add(to router: Router<BasicRequestContext>, path: String, cache: ExpositionCache) {
        router.get(RouterPath(path)) { request, _ -> Response in
            let format = ContentNegotiation.format(accept: request.headers[.accept])
            guard let encoding = ContentNegotiation.encoding(acceptEncoding: request.headers[.acceptEncoding]) else {
                return Response(status: .notAcceptable, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: .init(byteBuffer: .init(string: "no acceptable content encoding (we offer gzip and identity)\n")))
            }
            var headers: HTTPFields = [.contentType: format.contentType, .vary: "Accept, Accept-Encoding"]
            if encoding == .gzip { headers[.contentEncoding] = "gzip" }
            let body = await cache.body(.init(format: format, encoding: encoding))
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
        }
    }
}
