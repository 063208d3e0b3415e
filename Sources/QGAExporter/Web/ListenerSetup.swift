import Hummingbird
import HummingbirdCore
import Logging

/// What `--web.config.file` and the control settings make of the listeners: TLS and basic auth
/// for the metrics listener (as node_exporter), and the control API when it is switched on.
/// `serve` and the tests build their servers from the same setup.
struct ListenerSetup {
    var webConfig: WebConfig?
    /// Guards every path of the metrics listener when the web config has basic_auth_users.
    var webAuth: Authenticator?
    /// The web listeners' server: HTTP/1 with the limits, inside TLS when the web config has it.
    var webServer: HTTPServerBuilder
    /// The same server's channel for one connection, for listeners systemd passed us.
    var webChannel: TLSSetup.ChannelBuilder
    var control: ControlAPI?

    /// `controlAddress` (the flag) wins over `control.listen_address`; neither means no control API.
    static func make(exporter: Exporter, webConfigFile: String?, controlAddress: String?,
                     webLimits: WebLimits = WebLimits(), logger: Logger) throws(ConfigError) -> ListenerSetup {
        let webConfig = try webConfigFile.map { path throws(ConfigError) in try WebConfig.load(path: path) }
        var webAuth: Authenticator?
        if let users = webConfig?.basicAuthUsers, !users.isEmpty {
            webAuth = Authenticator(tokens: [], users: users, acceptsAnonymousLocal: false)
        }
        let webChannel = try TLSSetup.channelBuilder(webConfig?.tls, http1: webLimits.http1Configuration)
        var control: ControlAPI?
        if let text = controlAddress ?? exporter.config.control.listenAddress {
            let address: ControlAddress
            do {
                address = try ControlAddress.parse(text)
            } catch {
                throw ConfigError(file: "command line", line: nil, key: "control.listen_address", message: error.message)
            }
            let api = try ControlAPI(exporter: exporter, address: address, defaultWebConfigFile: webConfigFile, logger: logger)
            exporter.onReload { api.reload($0) }
            control = api
        }
        return ListenerSetup(webConfig: webConfig, webAuth: webAuth, webServer: HTTPServerBuilder(webChannel),
                             webChannel: webChannel, control: control)
    }
}
