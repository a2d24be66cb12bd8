extension HTTPClient {
    /// Settings shared by every request of one ``HTTPClient``.
    public struct Configuration: Sendable {
        /// Time allowed to establish the TCP (and TLS) connection.
        public var connectTimeout: Duration
        /// Time allowed for a whole request; ``HTTPRequest/timeout`` overrides it.
        public var totalTimeout: Duration
        /// Explicit proxy URL, e.g. `http://proxy:3128`. When `nil`, libcurl's standard
        /// environment variables apply: `http_proxy` (lowercase only), `HTTPS_PROXY` /
        /// `https_proxy`, `ALL_PROXY` / `all_proxy` and `NO_PROXY` / `no_proxy`.
        public var proxy: String?
        /// Path of a PEM CA bundle to verify servers with; `nil` uses the system bundle.
        public var caInfo: String?
        /// Disables certificate and host name verification. Tests only.
        public var insecureSkipVerify: Bool
        /// `User-Agent` sent unless a request sets its own.
        public var userAgent: String
        /// How many idle libcurl handles (each with its keep-alive connections) are kept.
        public var maxIdleHandles: Int
        /// Whether 3xx responses are followed (at most 10 hops, http/https only).
        public var followRedirects: Bool

        /// Creates a configuration; every setting has a default.
        public init(
            connectTimeout: Duration = .seconds(10),
            totalTimeout: Duration = .seconds(60),
            proxy: String? = nil,
            caInfo: String? = nil,
            insecureSkipVerify: Bool = false,
            userAgent: String = "ozhivlyator/1.0",
            maxIdleHandles: Int = 16,
            followRedirects: Bool = false
        ) {
            self.connectTimeout = connectTimeout
            self.totalTimeout = totalTimeout
            self.proxy = proxy
            self.caInfo = caInfo
            self.insecureSkipVerify = insecureSkipVerify
            self.userAgent = userAgent
            self.maxIdleHandles = maxIdleHandles
            self.followRedirects = followRedirects
        }
    }
}

extension Duration {
    /// Whole milliseconds for libcurl, at least 1 (libcurl reads 0 as "no limit").
    package var curlMilliseconds: Int { max(1, Int(wholeMilliseconds)) }
}
