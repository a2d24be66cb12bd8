import Foundation
import Hummingbird
import NIOCore
import OzhHTTP
import OzhSupport

/// Reading JSON request bodies with errors that name the field, and writing JSON responses.
enum JSONBody {
    /// Collects at most `limit` bytes of the body (more → 413) and decodes `T`; a key that
    /// appears twice in one object is refused (decoders disagree on which one wins).
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        let data = try await collect(request, limit: limit)
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw APIError.badRequest("invalid_body", describe(error))
        }
        if let key = duplicateKey(in: data) {
            throw APIError.badRequest("invalid_body", "key '\(key.prefix(64))' appears twice in one object")
        }
        return value
    }

    /// The body of a JSON request: sent as `application/json` (415 otherwise), at most `limit`
    /// bytes (413 otherwise) and not empty.
    static func collect(_ request: Request, limit: Int) async throws -> Data {
        guard isJSON(request.headers[.contentType]) else {
            throw APIError(.unsupportedMediaType, "invalid_content_type", "the body must be sent as Content-Type: application/json")
        }
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("invalid_body", "the body is empty; a JSON object is expected") }
        return Data(buffer.readableBytesView)
    }

    /// Whether a Content-Type header names JSON: `application/json` or `application/<x>+json`,
    /// with any parameters.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }

    /// A human sentence naming the field a decoding error is about.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "field '\(path(context.codingPath + [key]))' is required"
        case .typeMismatch(_, let context) where context.codingPath.isEmpty:
            return "the body must be a JSON object"
        case .typeMismatch(let type, let context):
            return "field '\(path(context.codingPath))' must be \(Self.kind(type))"
        case .valueNotFound(let type, let context):
            return "field '\(path(context.codingPath))' must be \(Self.kind(type)), not null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "the body is not valid JSON" }
            return "field '\(path(context.codingPath))' has an invalid value"
        @unknown default:
            return "the body is not valid"
        }
    }

    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is Int64.Type, is Int.Type, is Int32.Type: return "an integer"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Double.Type: return "a number"
        default: return "of another type"
        }
    }

    /// A JSON response with `status`.
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An ordered JSON response with `status`.
    static func response(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: value.serialized)))
    }

    static func encodeError(code: String, message: String) -> Data {
        Data(JSONValue.object([("error", .object([("code", .string(code)), ("message", .string(message))]))]).serialized.utf8)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()
}
