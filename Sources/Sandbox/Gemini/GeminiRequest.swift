import Foundation
import OzhDomain

/// The parts of a `generateContent` body the emulator looks at.
///
/// Read through ``GeminiAPI/GenerateContentRequest``, which takes both JSON spellings protobuf
/// accepts: `inline_data`/`inlineData`, `mime_type`/`mimeType`, `generation_config`/`generationConfig`, ...
struct GeminiRequest: Sendable {
    struct InlineImage: Sendable {
        var mimeType: String
        var data: Data
    }

    var texts: [String] = []
    var images: [InlineImage] = []
    /// `generationConfig.responseModalities` (upper-cased), nil when not given.
    var responseModalities: [String]? = nil
    var candidateCount: Int? = nil

    /// Whether the answer may carry text / an image.
    var wantsText: Bool { responseModalities?.contains("TEXT") ?? true }
    var wantsImage: Bool { responseModalities?.contains("IMAGE") ?? true }

    /// Roughly what Gemini counts: a token per four characters, 258 per image.
    var promptTokenCount: Int {
        texts.reduce(0) { $0 + ($1.count + 3) / 4 } + images.count * 258
    }

    /// Parses `body` as the client writes it (``GeminiAPI/GenerateContentRequest``); errors
    /// carry Google's messages: first for a field of the wrong shape, then for missing content.
    static func parse(_ body: Data) throws(GeminiError) -> GeminiRequest {
        let decoded: GeminiAPI.GenerateContentRequest
        do {
            decoded = try JSONDecoder().decode(GeminiAPI.GenerateContentRequest.self, from: body)
        } catch {
            throw malformed(error)
        }
        guard !decoded.contents.isEmpty else { throw noContents }
        var request = GeminiRequest()
        for (c, content) in decoded.contents.enumerated() {
            guard !content.parts.isEmpty else { throw emptyParts(c) }
            for (p, part) in content.parts.enumerated() {
                try request.read(part, at: "contents[\(c)].parts[\(p)]")
            }
        }
        if let config = decoded.generationConfig {
            try request.readConfig(config)
        }
        return request
    }

    private mutating func read(_ part: GeminiAPI.Part, at path: String) throws(GeminiError) {
        if let text = part.text {
            texts.append(text)
        } else if let inline = part.inlineData {
            guard let encoded = inline.data, let data = Self.base64(encoded) else {
                throw .invalidArgument("Invalid value at '\(path).inline_data.data' (TYPE_BYTES), Base64 decoding failed")
            }
            images.append(InlineImage(mimeType: inline.mimeType ?? "", data: data))
        } else {
            throw .invalidArgument("* GenerateContentRequest.\(path).data: required oneof field 'data' must have one initialized field\n")
        }
    }

    private mutating func readConfig(_ config: GeminiAPI.GenerationConfig) throws(GeminiError) {
        if let modalities = config.responseModalities {
            let names = modalities.map { $0.uppercased() }
            if let bad = names.first(where: { !["TEXT", "IMAGE", "AUDIO"].contains($0) }) {
                throw .invalidArgument(
                    "Invalid value at 'generation_config.response_modalities[0]' (type.googleapis.com/google.ai.generativelanguage.v1beta.GenerationConfig.Modality), \"\(bad)\""
                )
            }
            responseModalities = names
        }
        candidateCount = config.candidateCount
    }

    private static let noContents = GeminiError.invalidArgument("* GenerateContentRequest.contents: contents is not specified\n")

    private static func emptyParts(_ content: Int) -> GeminiError {
        .invalidArgument("* GenerateContentRequest.contents[\(content)].parts: contents.parts must not be empty.\n")
    }

    /// Google's message for a body that does not decode, by where it failed.
    private static func malformed(_ error: any Error) -> GeminiError {
        let path: [any CodingKey]
        switch error as? DecodingError {
        case .dataCorrupted(let context)? where context.codingPath.isEmpty:
            return .invalidArgument("Invalid JSON payload received. Unexpected token.")
        case .keyNotFound(let key, let context)?: path = context.codingPath + [key]
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?: path = context.codingPath
        default: path = []
        }
        guard let first = path.first?.stringValue else {
            return .invalidArgument("Invalid JSON payload received. Unknown name \"\": Root element must be a message.")
        }
        if first == "contents" {
            switch path.count {
            case 1: return noContents
            case 2, 3: return emptyParts(path[1].intValue ?? 0)
            default:
                let part = "contents[\(path[1].intValue ?? 0)].parts[\(path[3].intValue ?? 0)]"
                return .invalidArgument(
                    "Invalid JSON payload received. Unknown name \"\" at '\(part)': Proto field is not repeating, cannot start list.")
            }
        }
        let field = path.count > 1 ? path[1].stringValue : ""
        if field.hasPrefix("response") {
            return .invalidArgument(
                "Invalid value at 'generation_config.response_modalities' (type.googleapis.com/google.ai.generativelanguage.v1beta.GenerationConfig.Modality)"
            )
        }
        if field.hasPrefix("candidate") { return .invalidArgument("Invalid value at 'generation_config.candidate_count' (TYPE_INT32)") }
        return .invalidArgument("Invalid JSON payload received. Unknown name \"generation_config\": Proto field is not repeating, cannot start list.")
    }

    /// Standard or URL-safe base64, padded or not, as protobuf's JSON mapping accepts.
    static func base64(_ text: String) -> Data? {
        var normalized = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = normalized.utf8.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { normalized += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: normalized)
    }
}
