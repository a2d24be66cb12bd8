import Foundation
import OzhDomain
import OzhSupport

/// The HTTP 200 bodies of `generateContent`: an image, text only, a blocked prompt, a
/// filtered image.
enum GeminiResponses {
    static let imageCaption = "Here is your drawing brought to life!"
    static let textOnlyAnswer =
        "I can't generate that image right now, but here is the idea: your drawing, brought to life with bright colours and a little movement."
    static let imageTokens = 1290

    /// A `STOP` candidate with a text part (when `text`) and the PNG `image` (when given).
    static func success(image: Data?, text: Bool, model: String, promptTokens: Int) -> JSONValue {
        var parts: [GeminiAPI.ResponsePart] = []
        if text || image == nil {
            parts.append(.init(text: image == nil ? textOnlyAnswer : imageCaption))
        }
        if let image {
            parts.append(.init(inlineData: .init(mimeType: "image/png", data: image.base64EncodedString())))
        }
        let candidate = GeminiAPI.Candidate(content: .init(parts: parts, role: "model"), finishReason: "STOP", index: 0)
        return envelope(candidates: [candidate], model: model, prompt: promptTokens, candidateTokens: image == nil ? 32 : imageTokens)
    }

    /// The image was generated and then filtered: `IMAGE_SAFETY`, no content.
    static func imageBlocked(model: String, promptTokens: Int) -> JSONValue {
        let candidate = GeminiAPI.Candidate(
            finishReason: "IMAGE_SAFETY", index: 0,
            finishMessage:
                "Unable to show the generated image. The image was filtered out because it violated Google's Generative AI Prohibited Use policy. You will not be charged for blocked images. Try rephrasing the prompt. If you think this was a mistake, send feedback."
        )
        return envelope(candidates: [candidate], model: model, prompt: promptTokens, candidateTokens: 0)
    }

    /// The prompt was refused: `promptFeedback.blockReason`, no candidates.
    static func promptBlocked(model: String, promptTokens: Int) -> JSONValue {
        let ratings: [GeminiAPI.SafetyRating] = [
            ("HARM_CATEGORY_SEXUALLY_EXPLICIT", "NEGLIGIBLE"), ("HARM_CATEGORY_HATE_SPEECH", "NEGLIGIBLE"),
            ("HARM_CATEGORY_HARASSMENT", "NEGLIGIBLE"), ("HARM_CATEGORY_DANGEROUS_CONTENT", "HIGH"),
        ].map { category, probability in
            GeminiAPI.SafetyRating(category: category, probability: probability, blocked: probability == "HIGH" ? true : nil)
        }
        return SandboxJSON.value(
            GeminiAPI.GenerateContentResponse(
                promptFeedback: .init(blockReason: "SAFETY", safetyRatings: ratings),
                usageMetadata: .init(promptTokenCount: promptTokens, candidatesTokenCount: nil, totalTokenCount: promptTokens),
                modelVersion: model, responseId: responseId()))
    }

    private static func envelope(candidates: [GeminiAPI.Candidate], model: String, prompt: Int, candidateTokens tokens: Int) -> JSONValue {
        SandboxJSON.value(
            GeminiAPI.GenerateContentResponse(
                candidates: candidates,
                usageMetadata: .init(promptTokenCount: prompt, candidatesTokenCount: tokens, totalTokenCount: prompt + tokens),
                modelVersion: model, responseId: responseId()))
    }

    /// A random id shaped like Google's (22 URL-safe characters).
    static func responseId() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return String((0..<22).map { _ in alphabet.randomElement()! })
    }
}
