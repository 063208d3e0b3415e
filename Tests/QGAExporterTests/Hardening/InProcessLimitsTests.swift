import QGATestSupport
import Testing

@testable import QGAExporter

/// The in-process exporter of the tests is built by `buildApplication`, as `serve` builds it, so
/// the web limits given in its settings hold there too (they used to be left out).
@Suite struct InProcessLimitsTests {
    @Test func aWebLimitFromTheSettingsAppliesInTheInProcessExporter() async throws {
        var limits = WebLimits()
        limits.maxHeaderBytes = 4096
        try await RunningExporter.with(webLimits: limits) { exporter in
            let fits = try RawConnection(port: exporter.port)
            fits.send("GET /-/healthy HTTP/1.1\r\nHost: test\r\nX-Fits: \(String(repeating: "f", count: 2000))\r\n\r\n")
            #expect(try await offThePool { fits.readResponse()?.status } == 200)

            let connection = try RawConnection(port: exporter.port)
            connection.send("GET /-/healthy HTTP/1.1\r\nHost: test\r\nX-Big: \(String(repeating: "b", count: 8192))\r\n\r\n")
            let rejected = try await offThePool { connection.readResponse(timeout: .seconds(10)) }
            #expect(rejected?.status == 400, "headers over the limit the settings gave")
        }
    }
}
