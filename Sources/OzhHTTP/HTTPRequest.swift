import Foundation

/// One HTTP request for ``HTTPClient``.
///
/// Headers keep their order and may repeat. Header values and the body are never
/// copied into error messages or logs: they may carry API keys.
public struct HTTPRequest: Sendable {
    /// The method, sent as is (`GET`, `POST`, `PUT`, `DELETE`, ...).
    public var method: String
    /// Absolute `http://` or `https://` URL.
    public var url: String
    /// Request headers in sending order; names may repeat.
    public var headers: [(String, String)]
    /// Request body; `nil` sends none (`POST`/`PUT`/`PATCH` then send an empty body).
    public var body: Data?
    /// Total time allowed for this request; overrides the client's `totalTimeout`.
    public var timeout: Duration?
    /// `CURLOPT_RESOLVE` entries (`host:port:address`) pinning the connection to addresses checked
    /// beforehand; when set, no proxy is used either (the pinned address is the one connected to).
    public var resolve: [String] = []

    /// Creates a request; everything but the URL has a default (`GET`, no headers, no body).
    public init(
        method: String = "GET",
        url: String,
        headers: [(String, String)] = [],
        body: Data? = nil,
        timeout: Duration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

extension HTTPRequest {
    /// A request whose body is `value` encoded as JSON, with `Content-Type: application/json`
    /// added unless `headers` already has a content type.
    public static func json<T: Encodable>(
        method: String = "POST",
        url: String,
        headers: [(String, String)] = [],
        body value: T,
        encoder: JSONEncoder = JSONEncoder(),
        timeout: Duration? = nil
    ) throws -> HTTPRequest {
        var headers = headers
        if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
            headers.append(("Content-Type", "application/json"))
        }
        return HTTPRequest(
            method: method, url: url, headers: headers,
            body: try encoder.encode(value), timeout: timeout
        )
    }
}
