import Foundation
import Hummingbird
import NIOCore

/// A `multipart/form-data` body split into its parts (RFC 7578, RFC 2046 §5.1).
///
/// The body is collected once; each part's content is a slice of that one buffer (no copy), so
/// an upload is held in memory once, not three times (body, part, `Data`) as with
/// multipart-kit's parser, which also copied every stretch between two `\r` bytes separately.
struct MultipartForm {
    struct Part {
        var name: String?
        var filename: String?
        var contentType: String?
        /// A slice of the request body.
        var body = ByteBuffer()
    }

    var parts: [Part] = []

    /// Longest header block of one part (a 40 KB non-ASCII file name fits).
    static let maxPartHeaderBytes = 64 * 1024

    /// The part named `name`, or nil; a name sent twice is refused (`400 invalid_body`), since
    /// readers disagree on which one counts.
    func part(_ name: String) throws -> Part? {
        let named = parts.filter { $0.name == name }
        guard named.count <= 1 else { throw APIError.badRequest("invalid_body", "field '\(name)' appears more than once") }
        return named.first
    }

    /// Parses `request`'s body, at most `limit` bytes (more → 413) and `maxParts` parts (more →
    /// `400 too_many_parts`).
    static func parse(_ request: Request, limit: Int, maxParts: Int) async throws -> MultipartForm {
        guard let contentType = request.headers[.contentType], contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundary = Self.boundary(contentType)
        else {
            throw APIError(
                .unsupportedMediaType, "invalid_content_type",
                "the body must be multipart/form-data with the fields chat_id and image")
        }
        var request = request
        let body = try await request.collectBody(upTo: limit)
        let form = try parse(body, boundary: boundary, maxParts: maxParts)
        guard !form.parts.isEmpty else { throw APIError.badRequest("invalid_multipart", "the multipart body has no parts") }
        return form
    }

    /// Splits `body` at `--boundary` delimiters; parts are slices of `body`.
    static func parse(_ body: ByteBuffer, boundary: String, maxParts: Int) throws -> MultipartForm {
        let invalid = APIError.badRequest("invalid_multipart", "the multipart body could not be parsed")
        let dash = Array("--\(boundary)".utf8), delimiter = Array("\r\n--\(boundary)".utf8)
        let start = body.readerIndex, end = body.writerIndex
        // The first delimiter opens the body, or follows a preamble and CRLF.
        var cursor: Int
        if body.hasBytes(dash, at: start) {
            cursor = start + dash.count
        } else if let found = body.find(delimiter, from: start) {
            cursor = found + delimiter.count
        } else {
            throw invalid
        }
        var form = MultipartForm()
        while true {
            // After a delimiter: `--` closes the body; else optional blanks, then CRLF.
            if body.hasBytes(Array("--".utf8), at: cursor) { return form }
            while cursor < end, let byte = body.getInteger(at: cursor, as: UInt8.self), byte == 0x20 || byte == 0x09 { cursor += 1 }
            guard body.hasBytes([0x0D, 0x0A], at: cursor) else { throw invalid }
            cursor += 2
            guard form.parts.count < maxParts else {
                throw APIError.badRequest("too_many_parts", "the form has more than \(maxParts) parts")
            }
            guard let headersEnd = body.find([0x0D, 0x0A, 0x0D, 0x0A], from: cursor - 2, within: maxPartHeaderBytes) else { throw invalid }
            var part = Part()
            if headersEnd > cursor - 2 {
                let text = String(decoding: body.readableBytesView[(cursor)..<headersEnd], as: UTF8.self)
                for line in text.components(separatedBy: "\r\n") {
                    guard let colon = line.firstIndex(of: ":") else { throw invalid }
                    let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    switch line[..<colon].lowercased() {
                    case "content-disposition":
                        part.name = Self.parameter("name", in: value)
                        part.filename = Self.parameter("filename", in: value)
                    case "content-type": part.contentType = value
                    default: break
                    }
                }
            }
            let contentStart = headersEnd + 4
            guard let contentEnd = body.find(delimiter, from: contentStart) else { throw invalid }
            part.body = body.getSlice(at: contentStart, length: contentEnd - contentStart) ?? ByteBuffer()
            form.parts.append(part)
            cursor = contentEnd + delimiter.count
        }
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

extension ByteBuffer {
    /// Whether the bytes at `index` are `bytes`.
    fileprivate func hasBytes(_ bytes: [UInt8], at index: Int) -> Bool {
        guard index >= readerIndex, index + bytes.count <= writerIndex else { return false }
        return readableBytesView[index..<(index + bytes.count)].elementsEqual(bytes)
    }

    /// The absolute index of the first `needle` at or after `from` (within `within` bytes), or nil.
    fileprivate func find(_ needle: [UInt8], from: Int, within: Int = .max) -> Int? {
        guard from >= readerIndex, from <= writerIndex else { return nil }
        let length = Swift.min(writerIndex - from, within == .max ? .max : within + needle.count)
        guard length >= needle.count else { return nil }
        return withUnsafeReadableBytes { raw -> Int? in
            let bytes = UnsafeRawBufferPointer(rebasing: raw[(from - readerIndex)..<(from - readerIndex + length)])
            return needle.withUnsafeBytes { pattern -> Int? in
                // memchr for the first byte, memcmp for the rest: linear on an image's bytes.
                var offset = 0
                while offset + pattern.count <= bytes.count {
                    guard let hit = memchr(bytes.baseAddress! + offset, Int32(pattern[0]), bytes.count - offset - pattern.count + 1) else {
                        return nil
                    }
                    let at = UnsafeRawPointer(hit) - UnsafeRawPointer(bytes.baseAddress!)
                    if memcmp(bytes.baseAddress! + at, pattern.baseAddress!, pattern.count) == 0 { return from + at }
                    offset = at + 1
                }
                return nil
            }
        }
    }
}
