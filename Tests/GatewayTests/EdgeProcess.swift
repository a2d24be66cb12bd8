import Foundation
import NIOPosix
import TestSupport
import Testing

@testable import OzhDomain

/// A real `ozh-gateway` process for the edge tests (issue 13): its own port, metrics port,
/// database and key prefix over the test Redis and SecantusDB; killed by ``stop()``.
struct EdgeGateway {
    let process: Process
    let port: Int
    let metricsPort: Int
    let database: String
    let prefix: String
    let log: URL

    /// Threads for abusive clients: their blocking sockets never run on Swift's cooperative pool.
    static let clientThreads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 48)
        pool.start()
        return pool
    }()

    /// Starts a gateway with `extra` settings and waits (bounded) until `/health` answers.
    static func start(_ extra: [String: String] = [:]) async throws -> EdgeGateway {
        let port = try freeLoopbackPort(), metricsPort = try freeLoopbackPort()
        let database = "edge_\(UInt32.random(in: 0...UInt32.max))", prefix = "edge:\(UUID().uuidString.prefix(8)):"
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("edge-gateway-\(UUID().uuidString).log")
        var settings = [
            "API_KEY": GatewayHarness.apiKey, "PORT": "\(port)", "HOST": "127.0.0.1", "GEMINI_PROJECTS": "test-project",
            "METRICS_HOST": "127.0.0.1", "METRICS_PORT": "\(metricsPort)", "MONGO_DB_NAME": database,
            "REDIS_PREFIX": prefix, "LOG_LEVEL": "warning",
        ]
        settings.merge(extra) { $1 }
        let process = try Executables.launch("ozh-gateway", try ProcessLifecycleTests.environment(settings), log: log)
        let gateway = EdgeGateway(process: process, port: port, metricsPort: metricsPort, database: database, prefix: prefix, log: log)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let answer = try? await gateway.get("/health"), answer.status == 200 { return gateway }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        gateway.stop()
        throw TestSetupError("ozh-gateway did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// One request on its own connection (`Connection: close`).
    func get(_ path: String, key: String? = GatewayHarness.apiKey, method: String = "GET", port: Int? = nil) async throws -> RawHTTP.Answer {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let key { head += "api-key: \(key)\r\n" }
        return try await RawHTTP.exchange(port: port ?? self.port, Data((head + "\r\n").utf8))
    }

    /// `POST path` with a JSON body.
    func post(_ path: String, json: String) async throws -> RawHTTP.Answer {
        let body = Data(json.utf8)
        let head =
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\napi-key: \(GatewayHarness.apiKey)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        return try await RawHTTP.exchange(port: port, Data(head.utf8) + body)
    }

    /// The peak resident memory of the process so far (`VmHWM` of /proc/<pid>/status), in bytes.
    var peakResidentBytes: Int {
        get throws {
            let status = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
            let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
            let kilobytes = try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
            return kilobytes * 1024
        }
    }
}

/// Raises this process's open-file limit to at least `wanted` (up to the hard limit); the
/// gateway processes it starts inherit it. Returns the soft limit now in force.
@discardableResult
func raiseOpenFileLimit(to wanted: Int) -> Int {
    var limit = rlimit()
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    if limit.rlim_cur < rlim_t(wanted) {
        limit.rlim_cur = min(limit.rlim_max, rlim_t(wanted))
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
    return Int(limit.rlim_cur)
}

/// A blocking TCP connection to 127.0.0.1:`port`, or -1.
func connectLoopback(_ port: Int, timeoutSeconds: Int = 10) -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return -1 }
    var limit = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        close(fd)
        return -1
    }
    return fd
}

/// Whether the peer closed `fd` (or reset it): a non-blocking peek sees end of stream or an error.
func peerClosed(_ fd: Int32) -> Bool {
    var byte: UInt8 = 0
    let count = recv(fd, &byte, 1, Int32(MSG_DONTWAIT | MSG_PEEK))
    if count == 0 { return true }
    if count < 0 { return errno != EAGAIN && errno != EWOULDBLOCK }
    return false
}
