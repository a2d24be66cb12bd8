import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// A `multipart/form-data` body split into its parts (vapor/multipart-kit's parser).
struct MultipartForm {
    struct Part {
        var name: String?
        var filename: String?
        var contentType: String?
        var body = ByteBuffer()
    }

    var parts: [Part] = []

    /// The part named `name`, or nil; a name sent twice is refused (`400 invalid_body`), since
    /// readers disagree on which one counts.
    func part(_ name: String) throws -> Part? {
        let named = parts.filter { $0.name == name }
        guard named.count <= 1 else { throw APIError.badRequest("invalid_body", "field '\(name)' appears more than once") }
        return named.first
    }

    /// Parses `request`'s body, at most `limit` bytes (more → 413).
    static func parse(_ request: Request, limit: Int) async throws -> MultipartForm {
        guard let contentType = request.headers[.contentType], contentType.lowercased().hasPrefix("multipart/form-data"),
              let boundary = Self.boundary(contentType) else {
            throw APIError(.unsupportedMediaType, "invalid_content_type",
                           "the body must be multipart/form-data with the fields chat_id and image")
        }
        var request = request
        let body = try await request.collectBody(upTo: limit)
        var form = MultipartForm()
        var current = Part()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in
            switch name.lowercased() {
            case "content-disposition":
                current.name = Self.parameter("name", in: value)
                current.filename = Self.parameter("filename", in: value)
            case "content-type": current.contentType = value
            default: break
            }
        }
        parser.onBody = { buffer in current.body.writeBuffer(&buffer) }
        parser.onPartComplete = {
            form.parts.append(current)
            current = Part()
        }
        do {
            try parser.execute(body)
        } catch {
            throw APIError.badRequest("invalid_multipart", "the multipart body could not be parsed")
        }
        guard !form.parts.isEmpty else { throw APIError.badRequest("invalid_multipart", "the multipart body has no parts") }
        return form
    }

    static func boundary(_ contentType: String) -> String? {
        guard var value = parameter("boundary", in: contentType), !value.isEmpty, value.count <= 200 else { return nil }
        if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
        return value
    }

    /// `key=value` or `key="value"` from a header with `;`-separated parameters.
    static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            guard let eq = trimmed.firstIndex(of: "=") else { continue }
            guard trimmed[..<eq].lowercased() == key else { continue }
            var value = String(trimmed[trimmed.index(after: eq)...])
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
