import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// How much any one HTTP client may take from the server: slow, oversized or too many clients
/// are cut off so `/metrics` keeps answering the scrapers that behave.
struct WebLimits: Sendable, Equatable {
    /// Open connections at most; beyond it new ones wait in the listen backlog until one closes.
    var maxConnections = 256
    /// Time a client has to send a whole request (headers and body), counted from the connect or
    /// from the end of the previous response; so it is also how long an idle keep-alive lasts.
    var readTimeout: Duration = .seconds(10)
    /// Time a response may take to go out once started (a client that does not read).
    var writeTimeout: Duration = .seconds(10)
    /// Request line plus headers, in bytes; more is answered 400 and the connection closed.
    var maxHeaderBytes = 32 * 1024
    /// Request body, in bytes; more closes the connection. Our endpoints read no large bodies.
    var maxRequestBodyBytes = 1024 * 1024

    /// The HTTP/1 channel settings: decoder limits, the deadline/body handler, and the grace a
    /// new connection gets for its first request when the server stops.
    var http1Configuration: HTTP1Channel.Configuration {
        let limits = self
        return HTTP1Channel.Configuration(
            additionalChannelHandlers: [FirstRequestGraceHandler(), RequestLimitHandler(limits: limits)],
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: maxHeaderBytes, maxHeaderListSize: maxHeaderBytes, maxHeaderFieldCount: 256))
    }

    func applicationConfiguration(address: BindAddress, serverName: String?, logger: Logger) -> ApplicationConfiguration {
        ApplicationConfiguration(address: address, serverName: serverName,
                                 availableConnectionsDelegate: MaximumAvailableConnections(maxConnections, logger: logger))
    }
}
