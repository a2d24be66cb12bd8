import Foundation
import OzhSupport

extension GeminiAPI {
    /// A 200 answer: `{candidates?, promptFeedback?, usageMetadata, modelVersion, responseId}`.
    /// A blocked prompt has `promptFeedback.blockReason` and no candidates.
    public struct GenerateContentResponse: Codable, Sendable, Equatable {
        public var candidates: [Candidate]?
        public var promptFeedback: PromptFeedback?
        public var usageMetadata: UsageMetadata?
        public var modelVersion: String?
        public var responseId: String?

        public init(
            candidates: [Candidate]? = nil, promptFeedback: PromptFeedback? = nil, usageMetadata: UsageMetadata? = nil,
            modelVersion: String? = nil, responseId: String? = nil
        ) {
            self.candidates = candidates
            self.promptFeedback = promptFeedback
            self.usageMetadata = usageMetadata
            self.modelVersion = modelVersion
            self.responseId = responseId
        }

        enum CodingKeys: String, CodingKey { case candidates, promptFeedback, usageMetadata, modelVersion, responseId }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: JSONValueKey.self)
            candidates = container.either([Candidate].self, "candidates", "candidates")
            promptFeedback = container.either(PromptFeedback.self, "promptFeedback", "prompt_feedback")
            usageMetadata = container.either(UsageMetadata.self, "usageMetadata", "usage_metadata")
            modelVersion = container.either(String.self, "modelVersion", "model_version")
            responseId = container.either(String.self, "responseId", "response_id")
        }
    }

    /// One candidate: `{content?, finishReason, index, finishMessage?}`.
    public struct Candidate: Codable, Sendable, Equatable {
        public var content: ResponseContent?
        /// `STOP`, `SAFETY`, `IMAGE_SAFETY`, `PROHIBITED_CONTENT`, `NO_IMAGE`, ...
        public var finishReason: String?
        public var index: Int?
        public var finishMessage: String?

        public init(content: ResponseContent? = nil, finishReason: String?, index: Int? = 0, finishMessage: String? = nil) {
            self.content = content
            self.finishReason = finishReason
            self.index = index
            self.finishMessage = finishMessage
        }

        enum CodingKeys: String, CodingKey { case content, finishReason, index, finishMessage }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: JSONValueKey.self)
            content = container.either(ResponseContent.self, "content", "content")
            finishReason = container.either(String.self, "finishReason", "finish_reason")
            index = container.either(Int.self, "index", "index")
            finishMessage = container.either(String.self, "finishMessage", "finish_message")
        }
    }

    /// A candidate's content: `{"parts": [...], "role": "model"}`.
    public struct ResponseContent: Codable, Sendable, Equatable {
        public var parts: [ResponsePart]
        public var role: String?

        public init(parts: [ResponsePart], role: String? = "model") {
            self.parts = parts
            self.role = role
        }

        enum CodingKeys: String, CodingKey { case parts, role }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            parts = container.lenient([ResponsePart].self, .parts) ?? []
            role = container.lenient(String.self, .role)
        }
    }

    /// An answer part: `{"text"}` or `{"inlineData": {"mimeType", "data"}}`.
    public struct ResponsePart: Codable, Sendable, Equatable {
        public var text: String?
        public var inlineData: ResponseBlob?

        public init(text: String? = nil, inlineData: ResponseBlob? = nil) {
            self.text = text
            self.inlineData = inlineData
        }

        enum CodingKeys: String, CodingKey { case text, inlineData }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: JSONValueKey.self)
            text = container.either(String.self, "text", "text")
            inlineData = container.either(ResponseBlob.self, "inlineData", "inline_data")
        }
    }

    /// Inline bytes in an answer: `{"mimeType", "data": base64}`.
    public struct ResponseBlob: Codable, Sendable, Equatable {
        public var mimeType: String?
        public var data: String?

        public init(mimeType: String?, data: String?) {
            self.mimeType = mimeType
            self.data = data
        }

        enum CodingKeys: String, CodingKey { case mimeType, data }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: JSONValueKey.self)
            mimeType = container.either(String.self, "mimeType", "mime_type")
            data = container.either(String.self, "data", "data")
        }
    }

    /// Why a prompt was refused: `{"blockReason", "safetyRatings"}`.
    public struct PromptFeedback: Codable, Sendable, Equatable {
        public var blockReason: String?
        public var safetyRatings: [SafetyRating]?

        public init(blockReason: String?, safetyRatings: [SafetyRating]? = nil) {
            self.blockReason = blockReason
            self.safetyRatings = safetyRatings
        }

        enum CodingKeys: String, CodingKey { case blockReason, safetyRatings }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: JSONValueKey.self)
            blockReason = container.either(String.self, "blockReason", "block_reason")
            safetyRatings = container.either([SafetyRating].self, "safetyRatings", "safety_ratings")
        }
    }

    /// `{"category", "probability", "blocked"?}`.
    public struct SafetyRating: Codable, Sendable, Equatable {
        public var category: String?
        public var probability: String?
        public var blocked: Bool?

        public init(category: String?, probability: String?, blocked: Bool? = nil) {
            self.category = category
            self.probability = probability
            self.blocked = blocked
        }
    }

    /// `{"promptTokenCount", "candidatesTokenCount"?, "totalTokenCount"}`.
    public struct UsageMetadata: Codable, Sendable, Equatable {
        public var promptTokenCount: Int?
        public var candidatesTokenCount: Int?
        public var totalTokenCount: Int?

        public init(promptTokenCount: Int?, candidatesTokenCount: Int?, totalTokenCount: Int?) {
            self.promptTokenCount = promptTokenCount
            self.candidatesTokenCount = candidatesTokenCount
            self.totalTokenCount = totalTokenCount
        }
    }
}
