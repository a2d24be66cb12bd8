import OzhSettings

/// The gateway's own settings: where it listens, who may call it, what it caches
/// (the edge's timeouts and caps are ``EdgeSettings``).
public struct GatewaySettings: Sendable, Equatable {
    /// `HOST` (default `0.0.0.0`) and `PORT` (default 8000).
    public var host: String
    public var port: Int
    /// `API_KEY`: comma-separated keys the bot may send in the `api-key` header.
    public var apiKeys: [String]
    /// `MAX_JSON_BODY_BYTES`: largest JSON body the gateway reads (default 64 KiB).
    public var maxJSONBodyBytes: Int
    /// `TRUSTED_PROXIES`: peers whose `X-Forwarded-For` is believed (none by default).
    public var trustedProxies: [String]
    /// The cache of finished generations' `GET /jobs/{id}` answers (their images
    /// base64-encoded) and of their images: at most `JOB_CACHE_BYTES` (64 MiB) each, an entry
    /// kept for `JOB_CACHE_TTL_MS` (30000; 0 turns the cache off) before GridFS is read again.
    public var jobCacheBytes: Int
    public var jobCacheTTLMS: Int

    /// Reads and validates the gateway's settings from `source`.
    public init(source: SettingsSource) throws(SettingsError) {
        host = source.string("HOST") ?? "0.0.0.0"
        port = try source.int("PORT", default: 8000, in: 0...65535)
        apiKeys = source.list("API_KEY")
        maxJSONBodyBytes = try source.int("MAX_JSON_BODY_BYTES", default: 64 * 1024, in: 1024...(16 * 1024 * 1024))
        trustedProxies = source.list("TRUSTED_PROXIES")
        for network in trustedProxies where IPRange(network) == nil {
            throw .invalid(variable: "TRUSTED_PROXIES", reason: "'\(network)' is not an IP address or CIDR range")
        }
        jobCacheBytes = try source.int("JOB_CACHE_BYTES", default: 64 * 1024 * 1024, in: 0...(16 * 1024 * 1024 * 1024))
        jobCacheTTLMS = try source.int("JOB_CACHE_TTL_MS", default: 30_000, in: 0...3_600_000)
    }

    /// The gateway cannot run without at least one `API_KEY`; each must be 16+ characters.
    public func requireAPIKeys() throws(SettingsError) {
        guard !apiKeys.isEmpty else { throw .missing(variable: "API_KEY") }
        guard apiKeys.allSatisfy({ $0.count >= 16 }) else {
            throw .invalid(variable: "API_KEY", reason: "every key must be at least 16 characters")
        }
    }
}
