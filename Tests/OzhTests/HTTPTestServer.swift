import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// What `/echo` answers: the request as the server saw it.
struct EchoReply: Codable {
    var method: String
    var uri: String
    var headers: [[String]]
    var body: String

    /// First value of header `name`, case-insensitively.
    func header(_ name: String) -> String? {
        headers.first { $0[0].lowercased() == name.lowercased() }?[1]
    }
}

/// Thread-safe record of what the test server saw.
final class HTTPTestServerLog: Sendable {
    private let state = Mutex<(requests: [String], connections: Int)>(([], 0))

    func record(_ line: String) { state.withLock { $0.requests.append(line) } }
    func connectionOpened() { state.withLock { $0.connections += 1 } }
    var requests: [String] { state.withLock { $0.requests } }
    var connections: Int { state.withLock { $0.connections } }
}

/// An in-process HTTP/1.1 server on 127.0.0.1 (random port) for ``HTTPClient`` tests.
///
/// Routes: `/echo` (request as JSON), `/status/{n}`, `/slow?ms=N`, `/big?bytes=N`;
/// an absolute-form URI (a proxied request) answers `200 proxied <uri>`, and `CONNECT`
/// answers 403. Every request line is logged as `<METHOD> <uri>`.
struct HTTPTestServer: Sendable {
    let channel: any Channel
    let port: Int
    let log: HTTPTestServerLog

    static func start() async throws -> HTTPTestServer {
        let log = HTTPTestServerLog()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                log.connectionOpened()
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(HTTPTestHandler(log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return HTTPTestServer(channel: channel, port: channel.localAddress?.port ?? 0, log: log)
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func shutdown() async {
        try? await channel.close()
    }
}

/// Runs `body` with a fresh server, closing it afterwards.
func withTestServer<T>(_ body: (HTTPTestServer) async throws -> T) async throws -> T {
    let server = try await HTTPTestServer.start()
    do {
        let result = try await body(server)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}
