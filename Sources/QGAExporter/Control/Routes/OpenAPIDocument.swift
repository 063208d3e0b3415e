import Hummingbird

/// The OpenAPI document of the control API, served at `/api/v1/openapi.yaml`.
///
/// `text` is docs/openapi.yaml itself: the EmbedOpenAPI build plugin (Plugins/EmbedOpenAPI)
/// compiles the file into the binary on every build that changes it, so the served contract
/// cannot drift from the repository's. ControlOpenAPITests check the served bytes against the
/// file and the document's operations against `ControlRoutes.all`.
enum OpenAPIDocument {
    static func response() -> Response {
        Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
