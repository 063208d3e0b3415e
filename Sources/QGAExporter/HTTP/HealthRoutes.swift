import Hummingbird

/// `/-/healthy` (the process serves) and `/-/ready` (config loaded, guests scheduled), as in
/// Prometheus' own endpoints.
enum HealthRoutes {
    static func add(to router: Router<BasicRequestContext>, isReady: @escaping @Sendable () -> Bool) {
        router.get("/-/healthy") { _, _ in "Healthy.\n" }
        router.get("/-/ready") { _, _ -> Response in
            isReady()
                ? Response(status: .ok, body: .init(byteBuffer: .init(string: "Ready.\n")))
                : Response(status: .serviceUnavailable, body: .init(byteBuffer: .init(string: "Not ready.\n")))
        }
    }
}
