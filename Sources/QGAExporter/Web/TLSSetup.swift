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

    /// Builds one connection's HTTP/1 channel from a responder, inside TLS when configured.
    typealias ChannelBuilder = @Sendable (@escaping HTTPChannelHandler.Responder) throws -> any ServerChildChannel

    /// `http1` carries the HTTP limits (`WebLimits`), with or without TLS around it.
    static func server(_ files: WebConfig.TLSFiles?, http1: HTTP1Channel.Configuration = .init()) throws(ConfigError) -> HTTPServerBuilder {
        HTTPServerBuilder(try channelBuilder(files, http1: http1))
    }

    /// What Hummingbird's server and a listener systemd passed us (`ActivatedListener`) both run
    /// for each connection. The certificate is loaded here, once, so a bad one fails at start.
    static func channelBuilder(_ files: WebConfig.TLSFiles?, http1: HTTP1Channel.Configuration) throws(ConfigError) -> ChannelBuilder {
        guard let files else {
            return { responder in HTTP1Channel(responder: responder, configuration: http1) }
        }
        let tls = try configuration(files)
        let build: ChannelBuilder = { responder in
            try TLSChannel(HTTP1Channel(responder: responder, configuration: http1), tlsConfiguration: tls)
        }
        do {
            _ = try build { _, _, _ in }
        } catch {
            throw ConfigError(file: files.certFile, line: nil, key: "tls_server_config", message: "\(error)")
        }
        return build
    }
}
