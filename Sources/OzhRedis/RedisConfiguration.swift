import Foundation

/// Where and how to reach Redis, parsed from `REDIS_URL`.
public struct RedisConfiguration: Sendable, Equatable {
    /// Host name or address (ignored when `unixSocket` is set).
    public var host: String
    /// TCP port.
    public var port: Int
    /// Path of a Unix socket, from `unix:///path?db=N`.
    public var unixSocket: String?
    /// ACL user name (Redis 6+), if any.
    public var username: String?
    /// Password, if any. Never logged.
    public var password: String?
    /// Database index selected on every new connection.
    public var database: Int
    /// How long to wait for a TCP connection.
    public var connectTimeout: Duration
    /// How long to wait for a reply to an ordinary command.
    public var commandTimeout: Duration
    /// Idle connections kept in the pool.
    public var maxIdleConnections: Int

    /// Parses `redis://[user:password@]host[:port][/db]` or `unix:///path[?db=N]`.
    public init(
        url: String, connectTimeout: Duration = .seconds(2), commandTimeout: Duration = .seconds(5),
        maxIdleConnections: Int = 32
    ) throws(RedisError) {
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.maxIdleConnections = maxIdleConnections
        guard let components = URLComponents(string: url), let scheme = components.scheme else {
            throw .invalidURL("expected redis://host:port/db")
        }
        username = components.user.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
        password = components.password.flatMap { $0.removingPercentEncoding }
        switch scheme {
        case "redis":
            guard let host = components.host, !host.isEmpty else { throw .invalidURL("the host is missing") }
            self.host = host
            port = components.port ?? 6379
            unixSocket = nil
            let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            if path.isEmpty {
                database = 0
            } else if let db = Int(path), db >= 0 {
                database = db
            } else {
                throw .invalidURL("the database '\(path)' is not a non-negative number")
            }
        case "unix":
            guard !components.path.isEmpty else { throw .invalidURL("the socket path is missing") }
            host = "localhost"
            port = 0
            unixSocket = components.path
            let db = components.queryItems?.first { $0.name == "db" }?.value
            database = db.flatMap(Int.init) ?? 0
        case "rediss":
            throw .invalidURL("TLS (rediss://) is not supported by the hiredis build in use")
        default:
            throw .invalidURL("unknown scheme '\(scheme)'")
        }
        guard (1...65535).contains(port) || unixSocket != nil else { throw .invalidURL("port \(port) is out of range") }
    }

    /// The URL without its password, for logs.
    public var redacted: String {
        if let unixSocket { return "unix://\(unixSocket)?db=\(database)" }
        let auth = password == nil ? "" : "\(username ?? ""):***@"
        return "redis://\(auth)\(host):\(port)/\(database)"
    }
}
