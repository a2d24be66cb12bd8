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
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        if status == 200 {
            self = Self.success(json)
            return
        }
        let error = json["error"] as? [String: Any] ?? [:]
        let message = error["message"] as? String ?? "HTTP \(status)"
        let details = error["details"] as? [[String: Any]] ?? []
        let reason = details.compactMap { $0["reason"] as? String }.first
        switch status {
        case 429:
            let quotaID = details.compactMap { ($0["violations"] as? [[String: Any]])?.first?["quotaId"] as? String }.first
            let delay = details.compactMap { $0["retryDelay"] as? String }.first.flatMap(Self.parseDelay)
            self = .rateLimited(quotaID: quotaID, retryDelay: delay)
        case 400 where reason == "API_KEY_INVALID" || message.contains("API key not valid"):
            self = .keyRejected(reason: "API_KEY_INVALID")
        case 401, 403:
            self = .keyRejected(reason: (error["status"] as? String) ?? "PERMISSION_DENIED")
        case 500...599:
            self = .transient(code: "gemini_\(status)", message: message)
        default:
            self = .invalidRequest(status: status, message: message)
        }
    }

    private static func success(_ json: [String: Any]) -> GeminiOutcome {
        if let feedback = json["promptFeedback"] as? [String: Any], let block = feedback["blockReason"] as? String {
            return .blocked(reason: block)
        }
        guard let candidate = (json["candidates"] as? [[String: Any]])?.first else { return .noImage(reason: "NO_CANDIDATES") }
        let parts = (candidate["content"] as? [String: Any])?["parts"] as? [[String: Any]] ?? []
        for part in parts {
            let inline = (part["inlineData"] ?? part["inline_data"]) as? [String: Any]
            if let inline, let text = inline["data"] as? String, let data = Data(base64Encoded: text) {
                let mime = (inline["mimeType"] ?? inline["mime_type"]) as? String ?? "image/png"
                return .image(data, mimeType: mime)
            }
        }
        let finish = candidate["finishReason"] as? String ?? "STOP"
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
