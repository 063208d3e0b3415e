import Foundation
import Yams

/// The one way a YAML file is read (the config, the web config, the tokens file): the text,
/// then its root as a `YAMLReader`, so every error names the file, the line and the key.
enum YAMLFile {
    static func read(path: String) throws(ConfigError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(file: path, line: nil, key: nil, message: "cannot read: \(error.localizedDescription)")
        }
    }

    /// The document's root; nil for an empty document (every key then takes its default).
    static func root(_ text: String, file: String) throws(ConfigError) -> YAMLReader? {
        do {
            guard let node = try Yams.compose(yaml: text) else { return nil }
            return YAMLReader(file: file, node: node, path: "")
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw ConfigError(file: file, line: nil, key: nil, message: "invalid YAML: \(error)")
        }
    }

    private static func syntaxError(_ error: YamlError, file: String) -> ConfigError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ConfigError(file: file, line: mark.line, key: nil, message: "invalid YAML: \(problem)")
        default:
            return ConfigError(file: file, line: nil, key: nil, message: "invalid YAML: \(error)")
        }
    }
}
