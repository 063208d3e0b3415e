import Foundation

/// The bearer tokens file: a YAML mapping of principal name to token, e.g.
///
///     backup: 5d1f0c4e9b2a7f36c8e1d0a9b4f7e2c3
///     admin: 0a9f...
///
/// Keep it readable by the exporter only (mode 0600).
enum TokenFile {
    static let minimumLength = 16

    static func load(path: String) throws(ConfigError) -> [(name: String, token: String)] {
        try parse(try YAMLFile.read(path: path), file: path)
    }

    static func parse(_ text: String, file: String) throws(ConfigError) -> [(name: String, token: String)] {
        guard let root = try YAMLFile.root(text, file: file) else { return [] }
        var tokens: [(name: String, token: String)] = []
        var seen: Set<String> = []
        for (name, value) in try root.mapping() {
            let token = try value.nonEmptyString()
            guard token.count >= minimumLength else {
                throw value.error("tokens must be at least \(minimumLength) characters (e.g. openssl rand -hex 32)")
            }
            guard token.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw value.error("tokens are printable ASCII without spaces")
            }
            guard seen.insert(token).inserted else { throw value.error("the same token is given twice") }
            tokens.append((name, token))
        }
        return tokens
    }
}
