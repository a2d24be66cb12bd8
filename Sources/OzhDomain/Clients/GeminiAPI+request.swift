import Foundation
import OzhSupport

extension GeminiAPI {
    /// `generateContent`'s body: `{"contents": [{"role", "parts": [...]}], "generationConfig": {...}}`.
    ///
    /// Decoding (the sandbox reads requests with it) takes both spellings, snake_case first as
    /// protobuf does, and fails with the coding path of a field of the wrong shape: `contents`,
    /// a content, `parts`, a part, `generation_config` and its fields. Missing or empty lists
    /// read as empty, and inside a part `text`, `inline_data`, `mime_type` and `data` read as nil
    /// when odd: what they must be is the reader's to check.
    public struct GenerateContentRequest: Codable, Sendable, Equatable {
        public var contents: [Content]
        public var generationConfig: GenerationConfig?

        public init(contents: [Content], generationConfig: GenerationConfig? = nil) {
            self.contents = contents
            self.generationConfig = generationConfig
        }

        /// One user turn of `prompt` and an inline image: what the client sends for one image.
        public init(prompt: String, image: Data, mimeType: String, modalities: [String] = ["TEXT", "IMAGE"]) {
            self.init(
                contents: [Content(role: "user", parts: [.init(text: prompt), .init(inlineData: .init(mimeType: mimeType, data: image))])],
                generationConfig: GenerationConfig(responseModalities: modalities))
        }

        enum CodingKeys: String, CodingKey { case contents, generationConfig }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: JSONValueKey.self)
            contents = try container.strictly([Content].self, "contents", "contents") ?? []
            generationConfig = try container.strictly(GenerationConfig.self, "generation_config", "generationConfig")
        }
    }

    /// A turn: `{"role": "user", "parts": [...]}`.
    public struct Content: Codable, Sendable, Equatable {
        public var role: String?
        public var parts: [Part]

        public init(role: String? = "user", parts: [Part]) {
            self.role = role
            self.parts = parts
        }

        enum CodingKeys: String, CodingKey { case role, parts }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            role = container.lenient(String.self, .role)
            parts = try container.decodeIfPresent([Part].self, forKey: .parts) ?? []
        }
    }

    /// A request part: `{"text"}` or `{"inline_data": {"mime_type", "data"}}`.
    public struct Part: Codable, Sendable, Equatable {
        public var text: String?
        public var inlineData: Blob?

        public init(text: String? = nil, inlineData: Blob? = nil) {
            self.text = text
            self.inlineData = inlineData
        }

        enum CodingKeys: String, CodingKey { case text, inlineData = "inline_data" }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: JSONValueKey.self)
            text = container.either(String.self, "text", "text")
            inlineData = container.either(Blob.self, "inline_data", "inlineData")
        }
    }

    /// Inline bytes in a request: `{"mime_type", "data": base64}`.
    public struct Blob: Codable, Sendable, Equatable {
        public var mimeType: String?
        /// Base64 text (standard or URL-safe, as protobuf's JSON mapping accepts).
        public var data: String?

        public init(mimeType: String?, data: String?) {
            self.mimeType = mimeType
            self.data = data
        }

        /// `bytes` in standard base64.
        public init(mimeType: String, data bytes: Data) {
            self.init(mimeType: mimeType, data: bytes.base64EncodedString())
        }

        enum CodingKeys: String, CodingKey { case mimeType = "mime_type", data }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: JSONValueKey.self)
            mimeType = container.either(String.self, "mime_type", "mimeType")
            data = container.either(String.self, "data", "data")
        }
    }

    /// `generationConfig`: `{"responseModalities": ["TEXT", "IMAGE"], "candidateCount"?}`.
    public struct GenerationConfig: Codable, Sendable, Equatable {
        public var responseModalities: [String]?
        /// More than 1 is a 400 on image models.
        public var candidateCount: Int?

        public init(responseModalities: [String]? = nil, candidateCount: Int? = nil) {
            self.responseModalities = responseModalities
            self.candidateCount = candidateCount
        }

        enum CodingKeys: String, CodingKey { case responseModalities, candidateCount }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: JSONValueKey.self)
            responseModalities = try container.strictly([String].self, "response_modalities", "responseModalities")
            candidateCount = try container.strictly(Int.self, "candidate_count", "candidateCount")
        }
    }
}
