import OzhSupport

/// Why a `callback_url` is refused (HTTP 400 `invalid_callback_url`), or a delivery target is.
public enum CallbackURLError: CodedError, Equatable {
    /// Not an absolute http/https URL with a host.
    case invalid(String)
    /// The host resolves to (or is) a loopback, private, link-local, metadata or other
    /// non-public address, and is not in `CALLBACK_ALLOWED_HOSTS`.
    case notPublic(host: String, address: String)
    /// The host name does not resolve.
    case unresolvable(host: String)

    public var code: String { "invalid_callback_url" }

    public var message: String {
        switch self {
        case .invalid(let reason): return "callback_url is invalid: \(reason)"
        case .notPublic(let host, let address):
            return "callback_url's host \(host) resolves to \(address), which is not a public address (allow it with CALLBACK_ALLOWED_HOSTS)"
        case .unresolvable(let host): return "callback_url's host \(host) does not resolve"
        }
    }
}
