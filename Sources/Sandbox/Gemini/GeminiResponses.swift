import Foundation
import OzhSupport

/// The HTTP 200 bodies of `generateContent`: an image, text only, a blocked prompt, a
/// filtered image.
enum GeminiResponses {
    static let imageCaption = "Here is your drawing brought to life!"
    static let textOnlyAnswer = "I can't generate that image right now, but here is the idea: your drawing, brought to life with bright colours and a little movement."
    static let imageTokens = 1290

    /// A `STOP` candidate with a text part (when `text`) and the PNG `image` (when given).
    static func success(image: Data?, text: Bool, model: String, promptTokens: Int) -> JSONValue {
        var parts: [JSONValue] = []
        if text || image == nil {
            parts.append(.object([("text", .string(image == nil ? textOnlyAnswer : imageCaption))]))
        }
        if let image {
            // base64 never needs escaping: insert it raw instead of scanning megabytes.
            parts.append(.object([("inlineData", .object([
                ("mimeType", .string("image/png")), ("data", .raw("\"" + image.base64EncodedString() + "\"")),
            ]))]))
        }
        let candidateTokens = image == nil ? 32 : imageTokens
        let candidate = JSONValue.object([
            ("content", .object([("parts", .array(parts)), ("role", .string("model"))])),
            ("finishReason", .string("STOP")), ("index", .int(0)),
        ])
        return envelope(candidates: [candidate], model: model, prompt: promptTokens, candidateTokens: candidateTokens)
    }

    /// The image was generated and then filtered: `IMAGE_SAFETY`, no content.
    static func imageBlocked(model: String, promptTokens: Int) -> JSONValue {
        let candidate = JSONValue.object([
            ("finishReason", .string("IMAGE_SAFETY")), ("index", .int(0)),
            ("finishMessage", .string("Unable to show the generated image. The image was filtered out because it violated Google's Generative AI Prohibited Use policy. You will not be charged for blocked images. Try rephrasing the prompt. If you think this was a mistake, send feedback.")),
        ])
        return envelope(candidates: [candidate], model: model, prompt: promptTokens, candidateTokens: 0)
    }

    /// The prompt was refused: `promptFeedback.blockReason`, no candidates.
    static func promptBlocked(model: String, promptTokens: Int) -> JSONValue {
        let ratings: [JSONValue] = [
            ("HARM_CATEGORY_SEXUALLY_EXPLICIT", "NEGLIGIBLE"), ("HARM_CATEGORY_HATE_SPEECH", "NEGLIGIBLE"),
            ("HARM_CATEGORY_HARASSMENT", "NEGLIGIBLE"), ("HARM_CATEGORY_DANGEROUS_CONTENT", "HIGH"),
        ].map { category, probability in
            var fields: [(String, JSONValue)] = [("category", .string(category)), ("probability", .string(probability))]
            if probability == "HIGH" { fields.append(("blocked", .bool(true))) }
            return .object(fields)
        }
        return .object([
            ("promptFeedback", .object([("blockReason", .string("SAFETY")), ("safetyRatings", .array(ratings))])),
            ("usageMetadata", .object([("promptTokenCount", .int(Int64(promptTokens))), ("totalTokenCount", .int(Int64(promptTokens)))])),
            ("modelVersion", .string(model)), ("responseId", .string(responseId())),
        ])
    }

    private static func envelope(candidates: [JSONValue], model: String, prompt: Int, candidateTokens tokens: Int) -> JSONValue {
        .object([
            ("candidates", .array(candidates)),
            ("usageMetadata", .object([
                ("promptTokenCount", .int(Int64(prompt))), ("candidatesTokenCount", .int(Int64(tokens))),
                ("totalTokenCount", .int(Int64(prompt + tokens))),
            ])),
            ("modelVersion", .string(model)), ("responseId", .string(responseId())),
        ])
    }

    /// A random id shaped like Google's (22 URL-safe characters).
    static func responseId() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return String((0..<22).map { _ in alphabet.randomElement()! })
    }
}
