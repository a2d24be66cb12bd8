import Foundation

/// What one Gemini call came to, sorted by what the caller must do about it.
public enum GeminiOutcome: Sendable, Equatable {
    /// An image came back.
    case image(Data, mimeType: String)
    /// The prompt or the image was blocked for safety (`promptFeedback.blockReason`,
    /// `finishReason` SAFETY / IMAGE_SAFETY / PROHIBITED_CONTENT / ...): do not retry.
    case blocked(reason: String)
    /// The call succeeded but held no image (a text-only `STOP`, `NO_IMAGE`): may be retried.
    case noImage(reason: String)
    /// 429 RESOURCE_EXHAUSTED: the project's quota; `quotaID` tells minute from day.
    case rateLimited(quotaID: String?, retryDelay: Duration?)
    /// The key is invalid (400 API_KEY_INVALID) or not allowed (403): disable it.
    case keyRejected(reason: String)
    /// 500 / 503, a time-out or a broken connection: retry later.
    case transient(code: String, message: String)
    /// The request certainly never reached Google (no connection, DNS, TLS handshake, the proxy
    /// refused the tunnel): its quota slot is given back, then it is retried like `transient`.
    case notSent(code: String, message: String)
    /// Any other 4xx: our request is wrong; retrying will not help.
    case invalidRequest(status: Int, message: String)

    /// Sorts an HTTP answer.
    init(status: Int, body: Data) {
        if status == 200 {
            let answer = (try? JSONDecoder().decode(GeminiAPI.GenerateContentResponse.self, from: body)) ?? GeminiAPI.GenerateContentResponse()
            self = Self.success(answer)
            return
        }
        let error = GeminiAPI.ErrorBody.read(body).error
        let message = error.message ?? "HTTP \(status)"
        let details = error.details ?? []
        let reason = details.compactMap(\.reason).first
        switch status {
        case 429:
            let quotaID = details.compactMap { $0.violations?.first?.quotaId }.first
            let delay = details.compactMap(\.retryDelay).first.flatMap(Self.parseDelay)
            self = .rateLimited(quotaID: quotaID, retryDelay: delay)
        case 400 where reason == "API_KEY_INVALID" || message.contains("API key not valid"):
            self = .keyRejected(reason: "API_KEY_INVALID")
        case 401, 403:
            self = .keyRejected(reason: error.status ?? "PERMISSION_DENIED")
        case 500...599:
            self = .transient(code: "gemini_\(status)", message: message)
        default:
            self = .invalidRequest(status: status, message: message)
        }
    }

    private static func success(_ answer: GeminiAPI.GenerateContentResponse) -> GeminiOutcome {
        if let block = answer.promptFeedback?.blockReason {
            return .blocked(reason: block)
        }
        guard let candidate = answer.candidates?.first else { return .noImage(reason: "NO_CANDIDATES") }
        for part in candidate.content?.parts ?? [] {
            if let inline = part.inlineData, let text = inline.data, let data = Data(base64Encoded: text) {
                return .image(data, mimeType: inline.mimeType ?? "image/png")
            }
        }
        let finish = candidate.finishReason ?? "STOP"
        if ["SAFETY", "IMAGE_SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION", "IMAGE_PROHIBITED_CONTENT"].contains(finish) {
            return .blocked(reason: finish)
        }
        return .noImage(reason: finish)
    }

    /// "47s" or "1.5s" → a duration.
    static func parseDelay(_ text: String) -> Duration? {
        guard text.hasSuffix("s"), let seconds = Double(text.dropLast()), seconds >= 0 else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }
}
