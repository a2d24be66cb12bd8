import Foundation

/// The parts of a `generateContent` body the emulator looks at.
///
/// Both JSON spellings protobuf accepts are read: `inline_data`/`inlineData`,
/// `mime_type`/`mimeType`, `generation_config`/`generationConfig`, and so on.
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

    /// Parses `body`; errors carry Google's messages.
    static func parse(_ body: Data) throws(GeminiError) -> GeminiRequest {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
        } catch {
            throw .invalidArgument("Invalid JSON payload received. Unexpected token.")
        }
        guard let root = parsed as? [String: Any] else {
            throw .invalidArgument("Invalid JSON payload received. Unknown name \"\": Root element must be a message.")
        }
        var request = GeminiRequest()
        guard let contents = field(root, "contents") as? [Any], !contents.isEmpty else {
            throw .invalidArgument("* GenerateContentRequest.contents: contents is not specified\n")
        }
        for (c, content) in contents.enumerated() {
            guard let content = content as? [String: Any], let parts = content["parts"] as? [Any], !parts.isEmpty else {
                throw .invalidArgument("* GenerateContentRequest.contents[\(c)].parts: contents.parts must not be empty.\n")
            }
            for (p, part) in parts.enumerated() {
                try request.read(part, at: "contents[\(c)].parts[\(p)]")
            }
        }
        if let config = field(root, "generation_config") {
            try request.readConfig(config)
        }
        return request
    }

    private mutating func read(_ part: Any, at path: String) throws(GeminiError) {
        guard let part = part as? [String: Any] else {
            throw .invalidArgument("Invalid JSON payload received. Unknown name \"\" at '\(path)': Proto field is not repeating, cannot start list.")
        }
        if let text = part["text"] as? String {
            texts.append(text)
        } else if let inline = Self.field(part, "inline_data") as? [String: Any] {
            let mimeType = Self.field(inline, "mime_type") as? String ?? ""
            guard let encoded = inline["data"] as? String, let data = Self.base64(encoded) else {
                throw .invalidArgument("Invalid value at '\(path).inline_data.data' (TYPE_BYTES), Base64 decoding failed")
            }
            images.append(InlineImage(mimeType: mimeType, data: data))
        } else {
            throw .invalidArgument("* GenerateContentRequest.\(path).data: required oneof field 'data' must have one initialized field\n")
        }
    }

    private mutating func readConfig(_ config: Any) throws(GeminiError) {
        guard let config = config as? [String: Any] else {
            throw .invalidArgument("Invalid JSON payload received. Unknown name \"generation_config\": Proto field is not repeating, cannot start list.")
        }
        if let modalities = Self.field(config, "response_modalities") {
            guard let list = modalities as? [Any], list.allSatisfy({ $0 is String }) else {
                throw .invalidArgument("Invalid value at 'generation_config.response_modalities' (type.googleapis.com/google.ai.generativelanguage.v1beta.GenerationConfig.Modality)")
            }
            let names = list.compactMap { ($0 as? String)?.uppercased() }
            if let bad = names.first(where: { !["TEXT", "IMAGE", "AUDIO"].contains($0) }) {
                throw .invalidArgument("Invalid value at 'generation_config.response_modalities[0]' (type.googleapis.com/google.ai.generativelanguage.v1beta.GenerationConfig.Modality), \"\(bad)\"")
            }
            responseModalities = names
        }
        if let count = Self.field(config, "candidate_count") {
            guard let number = count as? NSNumber, let value = Int(exactly: number.doubleValue) else {
                throw .invalidArgument("Invalid value at 'generation_config.candidate_count' (TYPE_INT32)")
            }
            candidateCount = value
        }
    }

    /// `object[snake_name]` or its lowerCamel spelling.
    static func field(_ object: [String: Any], _ snakeName: String) -> Any? {
        if let value = object[snakeName] { return value }
        let words = snakeName.split(separator: "_")
        let camel = String(words[0]) + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return object[camel]
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
