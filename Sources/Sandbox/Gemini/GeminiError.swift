import Foundation
import Hummingbird
import NIOCore
import OzhDomain
import OzhHTTP
import OzhSupport

/// An error answer in Google's shape: `{"error":{"code","message","status","details"?}}`.
/// Like Google, `details` is left out when there are none.
struct GeminiError: Error, Sendable {
    var code: Int
    var status: String
    var message: String
    var details: [GeminiAPI.ErrorDetail] = []

    var json: JSONValue {
        SandboxJSON.value(GeminiAPI.ErrorBody(error: .init(code: code, message: message, status: status, details: details)))
    }

    var response: Response { SandboxJSON.response(json, status: code) }

    static func invalidArgument(_ message: String) -> GeminiError {
        GeminiError(code: 400, status: "INVALID_ARGUMENT", message: message)
    }

    static func notFound(_ message: String) -> GeminiError {
        GeminiError(code: 404, status: "NOT_FOUND", message: message)
    }

    static let missingKey = GeminiError(
        code: 403, status: "PERMISSION_DENIED",
        message:
            "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."
    )

    static let invalidKey = GeminiError(
        code: 400, status: "INVALID_ARGUMENT", message: "API key not valid. Please pass a valid API key.",
        details: [
            .init(
                type: "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com",
                metadata: ["service": "generativelanguage.googleapis.com"]),
            .init(
                type: "type.googleapis.com/google.rpc.LocalizedMessage", locale: "en-US",
                message: "API key not valid. Please pass a valid API key."),
        ]
    )

    static let payloadTooLarge = invalidArgument("Request payload size exceeds the limit: 20971520 bytes.")

    static let unavailable = GeminiError(code: 503, status: "UNAVAILABLE", message: "The model is overloaded. Please try again later.")

    static let internalError = GeminiError(
        code: 500, status: "INTERNAL",
        message: "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"
    )

    static let unprocessableImage = invalidArgument(
        "Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"
    )

    /// The free tier's 429 for a minute or day quota of `model`.
    static func quotaExceeded(_ violation: GeminiQuota.Violation, model: String) -> GeminiError {
        let quotaId =
            violation.kind == .minute
            ? "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"
            : "GenerateRequestsPerDayPerProjectPerModel-FreeTier"
        let delay = retryDelay(violation.retryAfter)
        let message = """
            You exceeded your current quota, please check your plan and billing details. For more information on this error, \
            head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: \
            https://ai.dev/usage?tab=rate-limit. \n* Quota exceeded for metric: \
            generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: \(violation.limit), model: \(model)\n\
            Please retry in \(delay).
            """
        let failure = GeminiAPI.ErrorDetail(
            type: "type.googleapis.com/google.rpc.QuotaFailure",
            violations: [
                .init(
                    quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests", quotaId: quotaId,
                    quotaDimensions: ["location": "global", "model": model], quotaValue: String(violation.limit))
            ])
        let help = GeminiAPI.ErrorDetail(
            type: "type.googleapis.com/google.rpc.Help",
            links: [
                .init(
                    description: "Learn more about Gemini API quotas", url: "https://ai.google.dev/gemini-api/docs/rate-limits")
            ])
        let retry = GeminiAPI.ErrorDetail(type: "type.googleapis.com/google.rpc.RetryInfo", retryDelay: delay)
        return GeminiError(code: 429, status: "RESOURCE_EXHAUSTED", message: message, details: [failure, help, retry])
    }

    /// A protobuf Duration as JSON: whole seconds rounded up ("47s") from one second on,
    /// milliseconds below it ("0.250s", for shortened test windows).
    static func retryDelay(_ seconds: Double) -> String {
        if seconds >= 1 { return "\(Int(seconds.rounded(.up)))s" }
        let millis = max(1, Int((seconds * 1000).rounded(.up)))
        if millis >= 1000 { return "1s" }
        return "0." + String(repeating: "0", count: 3 - String(millis).count) + "\(millis)s"
    }
}

/// JSON answers from ordered `JSONValue`s.
enum SandboxJSON {
    static func response(_ value: JSONValue, status: Int = 200) -> Response {
        Response(
            status: HTTPResponse.Status(code: status),
            headers: [.contentType: "application/json; charset=UTF-8"],
            body: .init(byteBuffer: ByteBuffer(string: value.serialized))
        )
    }
}
