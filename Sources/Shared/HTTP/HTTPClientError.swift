import CCurl

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
    /// Any other failure (reset, bad response, proxy tunnel refused, a method or header that
    /// cannot be sent, ...). Code `http_transport`.
    case transport(String)
    /// The URL is malformed or its scheme is not http/https. Code `http_invalid_url`.
    case invalidURL

    /// Stable snake_case code.
    public var code: String {
        switch self {
        case .timeout: "http_timeout"
        case .connectFailed: "http_connect_failed"
        case .tls: "http_tls"
        case .transport: "http_transport"
        case .invalidURL: "http_invalid_url"
        }
    }

    /// Human-readable explanation, safe to log.
    public var message: String {
        switch self {
        case .timeout: "the HTTP request timed out"
        case .connectFailed(let detail): "could not connect: \(detail)"
        case .tls(let detail): "TLS failure: \(detail)"
        case .transport(let detail): "HTTP transport failure: \(detail)"
        case .invalidURL: "the URL is malformed or not http/https"
        }
    }
}

extension HTTPClientError {
    /// Maps a failed `CURLcode` to an error; `detail` is libcurl's error buffer text.
    static func from(_ code: CURLcode, detail: String) -> HTTPClientError {
        let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
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
            return .tls(text)
        default:
            return .transport(text)
        }
    }
}
