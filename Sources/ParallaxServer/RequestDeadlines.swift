import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request head, or body, takes longer in all than its deadline,
/// however the client spaces its bytes.
///
/// The idle timeout starts again with every byte, so a client sending one byte every few seconds
/// would otherwise hold its connection, and a place among the bookmarklet requests read at once,
/// for as long as it liked. The head's deadline runs from the moment the connection is ready for
/// a request (open, or its last answer sent); the body's from its head to its end, including a
/// body the server reads past after answering early.
final class RequestDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// What the request's handler reads when its connection is cut: an error, never a body
    /// that looks complete.
    struct Exceeded: Error {}

    private let head: TimeAmount
    private let body: TimeAmount
    /// Requests whose head has been read and whose answer is not finished (more than one when
    /// a client sends its next request before the answer to the last).
    private var unanswered = 0
    /// Whether a request's body is being read, after its head and before its end.
    private var readingBody = false
    private var deadline: Scheduled<Void>?

    init(head: TimeAmount, body: TimeAmount) {
        (self.head, self.body) = (head, body)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(head, context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) { stop() }

    func channelActive(context: ChannelHandlerContext) {
        start(head, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            unanswered += 1
            readingBody = true
            start(body, context: context)
        case .end:
            readingBody = false
            // Ready for the next head once every answer is out; the handlers take their time.
            if unanswered == 0 { start(head, context: context) } else { stop() }
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            unanswered = max(0, unanswered - 1)
            // An answer sent before its body was read leaves the body's deadline running.
            if unanswered == 0 && !readingBody { start(head, context: context) }
        }
        context.write(data, promise: promise)
    }
}

private extension RequestDeadlines {
    func start(_ limit: TimeAmount, context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: limit) { [self] in
            deadline = nil
            context.fireErrorCaught(Exceeded())
            context.close(promise: nil)
        }
    }

    func stop() {
        deadline?.cancel()
        deadline = nil
    }
}
