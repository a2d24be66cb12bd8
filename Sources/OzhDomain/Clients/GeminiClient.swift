import Foundation
import OzhHTTP
import OzhSupport

/// Calls Gemini's `generateContent` for one image (image models give one image per call).
///
/// The base URL is a setting (`GEMINI_BASE_URL`), so the local sandbox can stand in for
/// Google. The API key travels only in the `x-goog-api-key` header and never reaches a log.
public struct GeminiClient: Sendable {
    public let baseURL: String
    public let http: HTTPClient
    public let timeout: Duration

    public init(baseURL: String, http: HTTPClient, timeout: Duration = .seconds(120)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.http = http
        self.timeout = timeout
    }

    /// Asks `model` for one image from `prompt` and the drawing `image` (PNG or JPEG bytes).
    public func generate(model: String, prompt: String, image: Data, mimeType: String, key: String) async throws -> GeminiOutcome {
        let body = try GeminiAPI.body(GeminiAPI.GenerateContentRequest(prompt: prompt, image: image, mimeType: mimeType))
        let request = HTTPRequest(
            method: "POST", url: "\(baseURL)/v1beta/models/\(model):generateContent",
            headers: [("x-goog-api-key", key), ("Content-Type", "application/json")], body: body, timeout: timeout)
        let response: HTTPResponse
        do {
            response = try await http.execute(request)
        } catch let error as HTTPClientError {
            if error.certainlyNotSent { return .notSent(code: error.code, message: error.message) }
            return .transient(code: error.code, message: error.message)
        }
        return GeminiOutcome(status: response.status, body: response.body)
    }
}

extension GeminiClient {
    /// The client of the Gemini API at `settings.baseURL` (`GEMINI_BASE_URL`).
    public init(settings: GeminiSettings, http: HTTPClient) {
        self.init(baseURL: settings.baseURL, http: http)
    }
}
