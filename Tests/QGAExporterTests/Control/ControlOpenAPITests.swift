import Foundation
import HTTPTypes
import QGATestSupport
import Testing
import Yams

@testable import QGAExporter

/// docs/openapi.yaml is valid OpenAPI, is byte for byte what the exporter serves (the
/// EmbedOpenAPI build plugin compiles it in), and lists exactly the routes the control API has.
@Suite struct ControlOpenAPITests {
    static let documentPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/openapi.yaml").path

    @Test func documentValidates() async throws {
        let script = """
        import sys
        from openapi_spec_validator import validate
        from openapi_spec_validator.readers import read_from_filename
        spec, _ = read_from_filename(sys.argv[1])
        validate(spec)
        print(spec["openapi"])
        """
        let result = try await Command.run("python3", ["-c", script, Self.documentPath])
        #expect(result.status == 0, "openapi-spec-validator: \(result.stderr)")
        #expect(result.text.hasPrefix("3.1"))
    }

    /// Bytes, not `String` equality (which is Unicode-canonical): a lost final newline or a
    /// CRLF turned into LF must fail too.
    @Test func embeddedDocumentIsTheRepositoryFile() throws {
        let file = try Data(contentsOf: URL(fileURLWithPath: Self.documentPath))
        #expect(Array(OpenAPIDocument.text.utf8) == Array(file), "the EmbedOpenAPI plugin did not embed docs/openapi.yaml as it is")
    }

    @Test func documentedOperationsAreTheRoutes() throws {
        let document = try #require(try Yams.load(yaml: OpenAPIDocument.text) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        var documented: Set<String> = []
        for (path, item) in paths {
            for key in (item as? [String: Any] ?? [:]).keys where methods.contains(key) {
                documented.insert("\(key.uppercased()) \(path)")
            }
        }
        let routed = Set(ControlRoutes.all.map { "\($0.method.rawValue) \($0.path)" })
        #expect(documented == routed, "only documented: \(documented.subtracting(routed)); only routed: \(routed.subtracting(documented))")
    }

    /// Every route is really registered: a request to each reaches a handler (no 404/405 for
    /// the route itself), served on the live listener.
    @Test func everyRouteIsServed() async throws {
        try await ControlHarness.with(ControlHarness.Options()) { harness in
            for route in ControlRoutes.all {
                let path = route.path.replacingOccurrences(of: "{guest}", with: "nosuchguest")
                    .replacingOccurrences(of: "{command}", with: "guest-ping")
                let reply = try await harness.control(route.method.rawValue, path, body: route.method == .get ? nil : Data())
                if route.path.contains("{guest}") {
                    #expect(reply.status == 404 && reply.errorKind == "unknown_guest", "\(route.method) \(route.path): \(reply.text)")
                } else {
                    #expect(reply.status == 200, "\(route.method) \(route.path)")
                }
            }
            let served = try await harness.control("GET", "/api/v1/openapi.yaml")
            #expect(served.headers["content-type"] == "application/yaml")
            #expect(served.body == (try Data(contentsOf: URL(fileURLWithPath: Self.documentPath))), "served bytes differ from docs/openapi.yaml")
        }
    }
}
