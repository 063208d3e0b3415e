import Foundation
import PackagePlugin

/// Compiles docs/openapi.yaml into the target it is applied to (QGAExporter), so the exporter
/// serves the repository's document itself at `/api/v1/openapi.yaml` and there is no second
/// copy to keep in step.
///
/// A build command, not a prebuild one: it names the document as its input, so the build
/// system regenerates the Swift file only when the document changes. Not a resource either:
/// the release binary is linked statically and installed alone, with no bundle beside it.
@main
struct EmbedOpenAPI: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let document = context.package.directoryURL.appending(path: "docs/openapi.yaml")
        let generated = context.pluginWorkDirectoryURL.appending(path: "OpenAPIDocument+Text.swift")
        return [
            .buildCommand(
                displayName: "Embedding docs/openapi.yaml in \(target.name)",
                executable: try context.tool(named: "EmbedOpenAPITool").url,
                arguments: [document.path(percentEncoded: false), generated.path(percentEncoded: false)],
                inputFiles: [document],
                outputFiles: [generated])
        ]
    }
}
