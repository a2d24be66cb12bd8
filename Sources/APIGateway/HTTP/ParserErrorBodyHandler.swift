import HTTPTypes
import HummingbirdCore
import NIOCore

/// The HTTP response parts as they pass the gateway's channel pipeline (NIOHTTPTypes'
/// `HTTPResponsePart`, named through Hummingbird's public handler so no other package is needed).
typealias ResponsePart = HTTPConnectionStateHandler.OutboundIn

/// Gives the gateway's JSON error body to the bare `400` that Hummingbird answers, before any
/// route or middleware runs, to a request the HTTP parser cannot read: a malformed or
/// conflicting `Content-Length`, headers over the 80 KiB limit, a broken request line. The
/// answer becomes `400 {"error": {"code": "bad_request", ...}}`; the connection is still closed.
///
/// Hummingbird writes that response as `400` with `Connection: close` and `Content-Length: 0`;
/// no route answers a 400 without a body, so nothing else is touched.
final class ParserErrorBodyHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ResponsePart
    typealias OutboundOut = ResponsePart

    /// The body to write before the `.end` of a rewritten response.
    private var pendingBody: ByteBuffer?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head)
        where head.status == .badRequest && head.headerFields[.contentLength] == "0"
            && head.headerFields[.connection] == "close":
            let body = ByteBuffer(bytes: JSONBody.encodeError(code: "bad_request", message: "the request is not valid HTTP/1.1"))
            head.headerFields[.contentType] = "application/json; charset=utf-8"
            head.headerFields[.contentLength] = String(body.readableBytes)
            pendingBody = body
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end(let trailers):
            if let body = pendingBody {
                pendingBody = nil
                context.write(wrapOutboundOut(.body(body)), promise: nil)
            }
            context.write(wrapOutboundOut(.end(trailers)), promise: promise)
        default:
            context.write(data, promise: promise)
        }
    }
}
