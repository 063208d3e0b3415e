import Foundation

/// The exporter-toolkit web config file (`--web.config.file`): TLS and bcrypt basic auth, in the
/// format node_exporter reads. Relative paths are relative to the file's directory, as there.
/// Keys we cannot honour are refused rather than ignored, so nobody believes in a setting that
/// does nothing.
struct WebConfig: Sendable, Equatable {
    struct TLSFiles: Sendable, Equatable {
        var certFile: String
        var keyFile: String
        /// CA bundle for client certificates (with `RequireAndVerifyClientCert`).
        var clientCAFile: String?
        var requireClientCert = false
        /// "TLS12" (default) or "TLS13".
        var minVersion = "TLS12"
    }

    var tls: TLSFiles?
    /// User name to bcrypt hash.
    var basicAuthUsers: [String: String] = [:]

    static func load(path: String) throws(ConfigError) -> WebConfig {
        try parse(try YAMLFile.read(path: path), file: path)
    }

    static func parse(_ text: String, file: String) throws(ConfigError) -> WebConfig {
        guard let root = try YAMLFile.root(text, file: file) else { return WebConfig() }
        let directory = (file as NSString).deletingLastPathComponent
        var config = WebConfig()
        for (key, value) in try root.mapping(allowed: ["tls_server_config", "basic_auth_users"]) {
            switch key {
            case "tls_server_config": config.tls = try parseTLS(value, directory: directory)
            case "basic_auth_users":
                for (user, hash) in try value.mapping() {
                    let text = try hash.nonEmptyString()
                    try hash.check { () throws(ConfigProblem) in try BcryptHash.check(text) }
                    guard !user.contains(":") else { throw hash.error("user names cannot contain ':'") }
                    config.basicAuthUsers[user] = text
                }
            default: break
            }
        }
        return config
    }

    private static func parseTLS(_ reader: YAMLReader, directory: String) throws(ConfigError) -> TLSFiles? {
        var cert: String?
        var key: String?
        var files = TLSFiles(certFile: "", keyFile: "")
        let keys: Set<String> = ["cert_file", "key_file", "client_ca_file", "client_auth_type", "min_version"]
        for (name, value) in try reader.mapping(allowed: keys) {
            switch name {
            case "cert_file": cert = resolve(try value.nonEmptyString(), in: directory)
            case "key_file": key = resolve(try value.nonEmptyString(), in: directory)
            case "client_ca_file": files.clientCAFile = resolve(try value.nonEmptyString(), in: directory)
            case "client_auth_type":
                switch try value.string() {
                case "NoClientCert", "": files.requireClientCert = false
                case "RequireAndVerifyClientCert": files.requireClientCert = true
                case let other:
                    throw value.error("\(other.debugDescription) is not supported (use NoClientCert or RequireAndVerifyClientCert)")
                }
            case "min_version":
                let version = try value.string()
                guard ["TLS12", "TLS13"].contains(version) else { throw value.error("use TLS12 or TLS13") }
                files.minVersion = version
            default: break
            }
        }
        if cert == nil && key == nil && files.clientCAFile == nil { return nil }
        guard let cert, let key else { throw reader.error("TLS needs both cert_file and key_file") }
        if files.requireClientCert && files.clientCAFile == nil {
            throw reader.error("RequireAndVerifyClientCert needs client_ca_file")
        }
        files.certFile = cert
        files.keyFile = key
        return files
    }

    private static func resolve(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") || directory.isEmpty ? path : "\(directory)/\(path)"
    }
}
