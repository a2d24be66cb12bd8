import Foundation

/// A syntactically acceptable callback URL: absolute `http` or `https`, a host, no user info,
/// at most 2,048 bytes. Whether its host may be reached is ``CallbackTarget``'s question.
public struct CallbackURL: Sendable, Equatable {
    /// The URL as given.
    public let text: String
    /// `http` or `https`.
    public let scheme: String
    /// The host, lowercased, without IPv6 brackets.
    public let host: String
    /// The port (the scheme's default when absent).
    public let port: Int

    /// Checks `text`; throws ``CallbackURLError/invalid(_:)``.
    public init(_ text: String) throws(CallbackURLError) {
        guard !text.isEmpty, text.utf8.count <= 2048 else { throw .invalid("it must be 1 to 2048 bytes") }
        guard text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value != 0x7F }) else {
            throw .invalid("it must be ASCII without spaces or control characters")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw .invalid("it is not an absolute URL")
        }
        guard scheme == "http" || scheme == "https" else { throw .invalid("only http and https URLs are accepted") }
        guard components.user == nil, components.password == nil else { throw .invalid("user info is not accepted") }
        guard let rawHost = components.percentEncodedHost, !rawHost.isEmpty else { throw .invalid("it has no host") }
        let host = Self.normalizedHost(rawHost)
        guard !host.contains("%") else { throw .invalid("the host must not be percent-encoded or carry a zone") }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65535).contains(port) else { throw .invalid("the port must be 1-65535") }
        self.text = text
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// `host` lowercased, without the brackets of an IPv6 literal and a trailing dot.
    public static func normalizedHost(_ host: String) -> String {
        var host = host.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.hasSuffix(".") { host = String(host.dropLast()) }
        return host
    }
}
