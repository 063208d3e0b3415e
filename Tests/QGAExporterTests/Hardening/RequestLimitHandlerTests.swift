import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

@testable import QGAExporter

/// The deadline and body rules of `RequestLimitHandler`, on an embedded channel whose clock the
/// test moves: the write timeout (a client that never reads) and pipelining, which the
/// real-socket tests cannot reach, plus the read timeout and body limit once more.
@Suite struct RequestLimitHandlerTests {
    static let limits = WebLimits(maxConnections: 4, readTimeout: .seconds(10), writeTimeout: .seconds(5),
                                  maxHeaderBytes: 8192, maxRequestBodyBytes: 100)

    private func connectedChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: RequestLimitHandler(limits: Self.limits))
        try channel.connect(to: .init(ipAddress: "127.0.0.1", port: 9957)).wait()
        return channel
    }

    private let head = HTTPRequestPart.head(HTTPRequest(method: .get, scheme: nil, authority: "test", path: "/metrics"))
    private let responseHead = HTTPResponsePart.head(HTTPTypes.HTTPResponse(status: .ok))

    /// A whole request from the client.
    private func request(_ channel: EmbeddedChannel) throws {
        try channel.writeInbound(head)
        try channel.writeInbound(HTTPRequestPart.end(nil))
    }

    /// A whole response from the server.
    private func respond(_ channel: EmbeddedChannel) throws {
        try channel.writeOutbound(responseHead)
        try channel.writeOutbound(HTTPResponsePart.end(nil))
    }

    @Test func aRequestNotCompleteWithinTheReadTimeoutClosesTheConnection() throws {
        let channel = try connectedChannel()
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        try channel.writeInbound(head)  // headers arrived, the body never does
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive, "10 s from the connect, whatever arrived meanwhile")
    }

    @Test func whileTheServerAnswersNoReadDeadlineRuns() throws {
        let channel = try connectedChannel()
        try request(channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive, "a slow handler is not the client's fault")
        try respond(channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive, "an idle keep-alive connection ends at the read timeout")
    }

    @Test func aResponseNotWrittenWithinTheWriteTimeoutClosesTheConnection() throws {
        let channel = try connectedChannel()
        try request(channel)
        try channel.writeOutbound(responseHead)  // the body is stuck behind a client that never reads
        channel.embeddedEventLoop.advanceTime(by: .seconds(6))
        #expect(!channel.isActive)
    }

    @Test func pipelinedRequestsKeepTheServersTurnUntilTheLastResponse() throws {
        let channel = try connectedChannel()
        for _ in 0..<2 {
            try request(channel)
        }
        try respond(channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(30))
        #expect(channel.isActive, "the second request is still being answered")
        try respond(channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(11))
        #expect(!channel.isActive)
    }

    @Test func aBodyOverTheLimitClosesTheConnectionAndIsNotPassedOn() throws {
        let channel = try connectedChannel()
        try channel.writeInbound(head)
        try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(repeating: 1, count: 100)))
        #expect(channel.isActive, "exactly the limit is fine")
        try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(repeating: 1, count: 1)))
        #expect(!channel.isActive)
        var passed = 0
        while let part = try channel.readInbound(as: HTTPRequestPart.self) {
            if case .body = part { passed += 1 }
        }
        #expect(passed == 1, "only the chunk within the limit reached the application")
    }
}
