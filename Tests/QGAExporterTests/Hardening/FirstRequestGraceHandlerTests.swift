import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

@testable import QGAExporter

/// When `FirstRequestGraceHandler` lets the shutdown's quiesce through, on an embedded channel
/// whose clock the test moves. A handler behind it records what reaches the server (in the
/// real pipeline, Hummingbird's connection handler, which closes on the quiesce unless a
/// request is in flight).
@Suite struct FirstRequestGraceHandlerTests {
    private let head = HTTPRequestPart.head(HTTPRequest(method: .get, scheme: nil, authority: "test", path: "/metrics"))

    private func connectedChannel() throws -> (EmbeddedChannel, Recorder) {
        let recorder = Recorder()
        let channel = EmbeddedChannel(handlers: [FirstRequestGraceHandler(grace: .seconds(2)), recorder])
        try channel.connect(to: .init(ipAddress: "127.0.0.1", port: 9957)).wait()
        return (channel, recorder)
    }

    @Test func aNewConnectionsQuiesceWaitsForItsFirstRequestAndFollowsIt() throws {
        let (channel, recorder) = try connectedChannel()
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(recorder.seen.isEmpty, "held while no request has come")
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(500))
        try channel.writeInbound(head)
        #expect(recorder.seen == ["head", "quiesce"], "the head first, so the server counts the request in flight")
        channel.embeddedEventLoop.advanceTime(by: .seconds(5))
        #expect(recorder.seen == ["head", "quiesce"], "passed on once")
    }

    @Test func aConnectionThatSendsNothingGetsTheQuiesceAfterTheGrace() throws {
        let (channel, recorder) = try connectedChannel()
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())  // a second stop signal
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1900))
        #expect(recorder.seen.isEmpty)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        #expect(recorder.seen == ["quiesce"], "at 2 s, once")
    }

    @Test func aConnectionThatHadARequestGetsTheQuiesceAtOnce() throws {
        let (channel, recorder) = try connectedChannel()
        try channel.writeInbound(head)
        try channel.writeInbound(HTTPRequestPart.end(nil))
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(recorder.seen == ["head", "end", "quiesce"], "an idle keep-alive closes now")
    }

    @Test func otherEventsPassStraightThrough() throws {
        let (channel, recorder) = try connectedChannel()
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(recorder.seen == ["inputClosed"])
    }
}

/// Names the request parts and events that reach the end of the pipeline, in order.
private final class Recorder: ChannelInboundHandler {
    typealias InboundIn = HTTPRequestPart
    var seen: [String] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: seen.append("head")
        case .body: seen.append("body")
        case .end: seen.append("end")
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelShouldQuiesceEvent: seen.append("quiesce")
        case ChannelEvent.inputClosed: seen.append("inputClosed")
        default: seen.append("\(event)")
        }
    }
}
