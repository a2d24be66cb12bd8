import Foundation

/// The answer to an ``HTTPRequest``: any status (4xx and 5xx included) is a response, not an error.
public struct HTTPResponse: Sendable {
    /// HTTP status code, e.g. 200 or 404.
    public var status: Int
    /// Response headers in received order (of the final response, after any `1xx`).
    public var headers: [(String, String)]
    /// The response body, as received (no content decoding).
    public var body: Data

    /// Creates a response (mostly for tests and fakes).
    public init(status: Int, headers: [(String, String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name`, compared case-insensitively; `nil` when absent.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first(where: { $0.0.lowercased() == wanted })?.1
    }

    /// Every value of header `name` in received order, compared case-insensitively.
    public func headers(named name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.0.lowercased() == wanted }.map(\.1)
    }

    /// Whether `status` is in 200...299.
    public var isSuccess: Bool { (200...299).contains(status) }

    /// The body decoded as UTF-8 (invalid bytes are repaired), for logs and tests.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Decodes the body as JSON into `type`.
    /// - Throws: the decoder's `DecodingError` when the body does not match.
    public func decodeJSON<T: Decodable>(_ type: T.Type, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(type, from: body)
    }
}
