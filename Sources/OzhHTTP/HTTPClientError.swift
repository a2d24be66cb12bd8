import CCurl
import OzhSupport

/// Why an HTTP exchange failed before a response arrived.
///
/// Codes are stable. Messages come from libcurl's error text and never carry
/// request headers, bodies or the URL's query (which may hold API keys).
public enum HTTPClientError: CodedError, Equatable {
    /// The connect or total timeout elapsed. Code `http_timeout`.
    case timeout
    /// The host or proxy could not be resolved or refused the connection. Code `http_connect_failed`.
    case connectFailed(String)
    /// TLS handshake or certificate verification failed. Code `http_tls`.
    case tls(String)
    /// The proxy answered the CONNECT with an error status: the request never left it.
    /// Code `http_proxy_refused`.
    case proxyRefused(String)
    /// Any other failure (reset, bad response, a method or header that cannot be sent, ...).
    /// Code `http_transport`.
    case transport(String)
    /// The URL is malformed or its scheme is not http/https. Code `http_invalid_url`.
    case invalidURL

    /// Stable snake_case code.
    public var code: String {
        switch self {
        case .timeout: "http_timeout"
        case .connectFailed: "http_connect_failed"
        case .tls: "http_tls"
        case .proxyRefused: "http_proxy_refused"
        case .transport: "http_transport"
        case .invalidURL: "http_invalid_url"
        }
    }

    /// Whether the request certainly never reached the server: no connection (DNS, refused),
    /// no TLS session, the proxy refused the tunnel, or the URL was never usable. A time-out or
    /// a transport failure may have come after the request was sent, so they are false.
    public var certainlyNotSent: Bool {
        switch self {
        case .connectFailed, .tls, .proxyRefused, .invalidURL: true
        case .timeout, .transport: false
        }
    }

    /// Human-readable explanation, safe to log.
    public var message: String {
        switch self {
        case .timeout: "the HTTP request timed out"
        case .connectFailed(let detail): "could not connect: \(detail)"
        case .tls(let detail): "TLS failure: \(detail)"
        case .proxyRefused(let detail): "the proxy refused the tunnel: \(detail)"
        case .transport(let detail): "HTTP transport failure: \(detail)"
        case .invalidURL: "the URL is malformed or not http/https"
        }
    }
}

extension HTTPClientError {
    /// Maps a failed `CURLcode` to an error; `detail` is libcurl's error buffer text,
    /// `proxyStatus` the proxy's answer to CONNECT (0 when there was none) and `requestBytes`
    /// how much of the request libcurl sent (a TLS failure after sending is a transport one).
    static func from(_ code: CURLcode, detail: String, proxyStatus: Int = 0, requestBytes: Int = 0) -> HTTPClientError {
        let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        if proxyStatus >= 300, requestBytes == 0 { return .proxyRefused(text) }
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .connectFailed(text)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .invalidURL
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_PEER_FAILED_VERIFICATION,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_SHUTDOWN_FAILED,
            CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            return requestBytes == 0 ? .tls(text) : .transport(text)
        default:
            return .transport(text)
        }
    }
}
