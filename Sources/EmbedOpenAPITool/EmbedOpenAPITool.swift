import Foundation

/// Build tool of the EmbedOpenAPI plugin: `EmbedOpenAPITool DOCUMENT OUTPUT` writes a Swift file
/// declaring `OpenAPIDocument.text`, the document's text exactly (ControlOpenAPITests compare
/// the served bytes with docs/openapi.yaml). Started from main.swift.
enum EmbedOpenAPITool {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count == 3 else {
            FileHandle.standardError.write(Data("usage: EmbedOpenAPITool DOCUMENT OUTPUT\n".utf8))
            exit(2)
        }
        let (input, output) = (arguments[1], arguments[2])
        func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data("EmbedOpenAPITool: \(input): \(message)\n".utf8))
            exit(1)
        }

        guard let bytes = FileManager.default.contents(atPath: input) else { fail("cannot read the file") }
        // YAML documents are UTF-8, and a Swift string literal can only hold valid UTF-8.
        guard let text = String(validating: bytes, as: UTF8.self) else { fail("not valid UTF-8") }
        let source = Data(swiftSource(embedding: text).utf8)
        // Rewrite only on change, so an unchanged document does not recompile the exporter.
        if FileManager.default.contents(atPath: output) != source {
            do {
                try source.write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                fail("cannot write \(output): \(error)")
            }
        }
    }

    /// The generated file. The newline before the closing delimiter is not part of the
    /// literal, so the text's own final newline (if any) stays in it.
    static func swiftSource(embedding text: String) -> String {
        """
        // Generated at build time by EmbedOpenAPITool (Plugins/EmbedOpenAPI) from docs/openapi.yaml.
        // Do not edit: edit docs/openapi.yaml.

        extension OpenAPIDocument {
            static let text: String = \"""
        \(literalBody(text))
        \"""
        }

        """
    }

    /// The text as the body of a multi-line string literal whose delimiters sit in column 0 (so
    /// no indentation is stripped). Backslashes and quotes are escaped, so no `"""` or `\(` can
    /// occur; CR, tab and other control characters are escaped because the compiler would
    /// normalize or refuse them raw.
    static func literalBody(_ text: String) -> String {
        var body = ""
        body.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": body += "\\\\"
            case "\"": body += "\\\""
            case "\n": body += "\n"
            case "\r": body += "\\r"
            case "\t": body += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                body += "\\u{\(String(scalar.value, radix: 16))}"
            default: body.unicodeScalars.append(scalar)
            }
        }
        return body
    }
}
