import OzhSettings

/// The gateway's defences at the edge (README "Running it in public"): client deadlines,
/// connection and concurrency caps. Defaults follow nginx's where nginx has one.
public struct EdgeSettings: Sendable, Equatable {
    /// `HTTP_HEADER_TIMEOUT_S` (60, nginx's `client_header_timeout`): a request's head must be
    /// complete this long after the connection opened or its first byte arrived.
    public var headerTimeoutS: Int
    /// `HTTP_BODY_TIMEOUT_S` (60, nginx's `client_body_timeout`): longest silence between two
    /// reads of a request body.
    public var bodyTimeoutS: Int
    /// `HTTP_KEEPALIVE_TIMEOUT_S` (75, nginx's `keepalive_timeout`): an idle connection between
    /// requests is closed after this long (Hummingbird's own idle timeout).
    public var keepaliveTimeoutS: Int
    /// `MAX_CONNECTIONS` (4096): open client connections; a connection over it is closed at once.
    public var maxConnections: Int
    /// `MAX_CONCURRENT_UPLOADS` (4): `POST /generate` requests in flight; over it `503 busy_retry`
    /// with `Retry-After`, before the body is read.
    public var maxConcurrentUploads: Int
    /// `MAX_MULTIPART_PARTS` (8): parts of an upload form (the seed's has 2); more → `400 too_many_parts`.
    public var maxMultipartParts: Int
    /// `MAX_LONG_POLLS` (1000) and `MAX_LONG_POLLS_PER_CLIENT` (20): requests waiting with
    /// `?wait=S` in total and per client address; over either the request answers at once.
    public var maxLongPolls: Int
    public var maxLongPollsPerClient: Int

    /// Reads and validates the edge settings from `source`.
    public init(source: SettingsSource) throws(SettingsError) {
        headerTimeoutS = try source.int("HTTP_HEADER_TIMEOUT_S", default: 60, in: 1...3600)
        bodyTimeoutS = try source.int("HTTP_BODY_TIMEOUT_S", default: 60, in: 1...3600)
        keepaliveTimeoutS = try source.int("HTTP_KEEPALIVE_TIMEOUT_S", default: 75, in: 1...3600)
        maxConnections = try source.int("MAX_CONNECTIONS", default: 4096, in: 1...1_000_000)
        maxConcurrentUploads = try source.int("MAX_CONCURRENT_UPLOADS", default: 4, in: 1...1024)
        maxMultipartParts = try source.int("MAX_MULTIPART_PARTS", default: 8, in: 2...1000)
        maxLongPolls = try source.int("MAX_LONG_POLLS", default: 1000, in: 0...1_000_000)
        maxLongPollsPerClient = try source.int("MAX_LONG_POLLS_PER_CLIENT", default: 20, in: 0...1_000_000)
    }
}
