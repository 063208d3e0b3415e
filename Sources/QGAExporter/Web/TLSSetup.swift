import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL

/// Turns the web config's `tls_server_config` into a server TLS configuration, and an HTTP
/// server builder with or without TLS.
enum TLSSetup {
    static func configuration(_ files: WebConfig.TLSFiles) throws(ConfigError) -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(files.certFile).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: files.keyFile, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            configuration.minimumTLSVersion = files.minVersion == "TLS13" ? .tlsv13 : .tlsv12
            if files.requireClientCert, let ca = files.clientCAFile {
                // Server side: a client certificate is required and checked against the CA.
                configuration.certificateVerification = .noHostnameVerification
                configuration.trustRoots = .file(ca)
            }
            return configuration
        } catch {
            throw ConfigError(file: files.certFile, line: nil, key: "tls_server_config",
                              message: "cannot load the certificate or key: \(error)")
        }
    }

    /// `http1` carries the HTTP limits (`WebLimits`), with or without TLS around it.
    static func server(_ files: WebConfig.TLSFiles?, http1: HTTP1Channel.Configuration = .init()) throws(ConfigError) -> HTTPServerBuilder {
        guard let files else { return .http1(configuration: http1) }
        let configuration = try configuration(files)
        do {
            return try .tls(.http1(configuration: http1), tlsConfiguration: configuration)
        } catch {
            throw ConfigError(file: files.certFile, line: nil, key: "tls_server_config", message: "\(error)")
        }
    }
}
