import Foundation
import NIOCore
import NIOHTTP1

/// The request handler behind ``HTTPTestServer``.
final class HTTPTestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let log: HTTPTestServerLog
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(log: HTTPTestServerLog) {
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let requestHead = head else { return }
            head = nil
            log.record("\(requestHead.method.rawValue) \(requestHead.uri)")
            route(context: context, head: requestHead)
        }
    }

    private func route(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let (path, query) = Self.split(head.uri)
        let keepAlive = head.isKeepAlive
        if head.method == .CONNECT {
            return respond(context, .forbidden, "no tunnels", keepAlive: false)
        }
        if head.uri.hasPrefix("http://") || head.uri.hasPrefix("https://") {
            return respond(context, .ok, "proxied \(head.uri)", keepAlive: keepAlive)
        }
        switch path {
        case "/echo":
            let reply = EchoReply(
                method: head.method.rawValue, uri: head.uri,
                headers: head.headers.map { [$0.name, $0.value] },
                body: body.getString(at: body.readerIndex, length: body.readableBytes) ?? ""
            )
            let json = (try? JSONEncoder().encode(reply)) ?? Data()
            respond(context, .ok, String(decoding: json, as: UTF8.self), type: "application/json", keepAlive: keepAlive)
        case _ where path.hasPrefix("/status/"):
            let code = Int(path.dropFirst("/status/".count)) ?? 400
            respond(context, HTTPResponseStatus(statusCode: code), "status \(code)", keepAlive: keepAlive)
        case "/slow":
            let millis = Int64(query["ms"] ?? "") ?? 1000
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(millis)) {
                self.respond(context, .ok, "slow", keepAlive: keepAlive)
            }
        case "/big":
            let count = Int(query["bytes"] ?? "") ?? 0
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 % 251) }
            respond(context, .ok, ByteBuffer(bytes: bytes), type: "application/octet-stream", keepAlive: keepAlive)
        default:
            respond(context, .notFound, "no route", keepAlive: keepAlive)
        }
    }

    private func respond(
        _ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ text: String,
        type: String = "text/plain", keepAlive: Bool
    ) {
        respond(context, status, ByteBuffer(string: text), type: type, keepAlive: keepAlive)
    }

    private func respond(
        _ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ body: ByteBuffer,
        type: String, keepAlive: Bool
    ) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: type)
        headers.add(name: "Content-Length", value: "\(body.readableBytes)")
        headers.add(name: "X-Test-Server", value: "nio")
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            if !keepAlive { context.close(promise: nil) }
        }
    }

    /// Splits `/path?a=1&b=2` into the path and its query items.
    private static func split(_ uri: String) -> (String, [String: String]) {
        let parts = uri.split(separator: "?", maxSplits: 1)
        let path = parts.first.map(String.init) ?? "/"
        var query: [String: String] = [:]
        if parts.count == 2 {
            for item in parts[1].split(separator: "&") {
                let pair = item.split(separator: "=", maxSplits: 1)
                query[String(pair[0])] = pair.count == 2 ? String(pair[1]) : ""
            }
        }
        return (path, query)
    }
}
