import Foundation
import Testing

@testable import OzhDomain
@testable import OzhSupport

/// Issue 14: Gemini's `generateContent` bodies as the Codable types the client and the sandbox
/// share. The request is the bytes the `JSONValue` builder wrote before; answers (as Google and
/// the sandbox write them) are read leniently and sorted by ``GeminiOutcome`` as before.
@Suite("Gemini API bodies")
struct GeminiAPITests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0xFF, 0xFE])

    static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    @Test func theRequestIsTheBytesWrittenBefore() throws {
        let prompt = "Bring this \"drawing\" to life:\nkeep its colours"
        let request = GeminiAPI.GenerateContentRequest(prompt: prompt, image: Self.png, mimeType: "image/png")
        let previous = JSONValue.object([
            (
                "contents",
                .array([
                    .object([
                        ("role", .string("user")),
                        (
                            "parts",
                            .array([
                                .object([("text", .string(prompt))]),
                                .object([
                                    (
                                        "inline_data",
                                        .object([("mime_type", .string("image/png")), ("data", .string(Self.png.base64EncodedString()))])
                                    )
                                ]),
                            ])
                        ),
                    ])
                ])
            ),
            ("generationConfig", .object([("responseModalities", .array([.string("TEXT"), .string("IMAGE")]))])),
        ]).serialized
        let body = try GeminiAPI.body(request)
        #expect(Self.text(body) == previous)
        #expect(
            Self.text(body) == #"{"contents":[{"role":"user","parts":[{"text":"Bring this \"drawing\" to life:\nkeep its colours"},"#
                + #"{"inline_data":{"mime_type":"image/png","data":"iVBORw0KGgr//g=="}}]}],"generationConfig":{"responseModalities":["TEXT","IMAGE"]}}"#
        )
        #expect(try GeminiAPI.body(request) == body, "the same bytes on every encode")
        // Read back (the sandbox reads requests with the same type), in either spelling.
        #expect(try JSONDecoder().decode(GeminiAPI.GenerateContentRequest.self, from: body) == request)
        let camel = #"{"contents":[{"parts":[{"inlineData":{"mimeType":"image/jpeg","data":"AAAA"}}]}],"generation_config":{"candidate_count":2}}"#
        let read = try JSONDecoder().decode(GeminiAPI.GenerateContentRequest.self, from: Data(camel.utf8))
        #expect(read.contents.first?.parts.first?.inlineData == .init(mimeType: "image/jpeg", data: "AAAA"))
        #expect(read.generationConfig?.candidateCount == 2 && read.generationConfig?.responseModalities == nil)
    }

    /// An image answer as the sandbox (and Google) writes it.
    static func imageAnswer(_ data: Data) -> String {
        #"{"candidates":[{"content":{"parts":[{"text":"Here is your drawing brought to life!"},{"inlineData":{"mimeType":"image/png","data":""#
            + data.base64EncodedString() + #""}}],"role":"model"},"finishReason":"STOP","index":0}],"#
            + #""usageMetadata":{"promptTokenCount":266,"candidatesTokenCount":1290,"totalTokenCount":1556},"#
            + #""modelVersion":"gemini-2.5-flash-image","responseId":"Xy3kZ9qPBcOT1dkP4b2_qQw"}"#
    }

    @Test func successAnswersAreReadAndWrittenInGooglesOrder() throws {
        let text = Self.imageAnswer(Self.png)
        let answer = try JSONDecoder().decode(GeminiAPI.GenerateContentResponse.self, from: Data(text.utf8))
        #expect(answer.candidates?.first?.content?.parts.last?.inlineData?.mimeType == "image/png")
        #expect(answer.usageMetadata?.totalTokenCount == 1556 && answer.modelVersion == "gemini-2.5-flash-image")
        #expect(try Self.text(GeminiAPI.body(answer)) == text, "written back byte for byte")
        #expect(GeminiOutcome(status: 200, body: Data(text.utf8)) == .image(Self.png, mimeType: "image/png"))

        let blocked =
            #"{"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[{"category":"HARM_CATEGORY_DANGEROUS_CONTENT","#
            + #""probability":"HIGH","blocked":true}]},"usageMetadata":{"promptTokenCount":266,"totalTokenCount":266},"#
            + #""modelVersion":"gemini-2.5-flash-image","responseId":"abc"}"#
        let prompt = try JSONDecoder().decode(GeminiAPI.GenerateContentResponse.self, from: Data(blocked.utf8))
        #expect(try Self.text(GeminiAPI.body(prompt)) == blocked)
        #expect(GeminiOutcome(status: 200, body: Data(blocked.utf8)) == .blocked(reason: "SAFETY"))

        let filtered = #"{"candidates":[{"finishReason":"IMAGE_SAFETY","index":0,"finishMessage":"Unable to show the generated image."}]}"#
        #expect(
            try Self.text(GeminiAPI.body(try JSONDecoder().decode(GeminiAPI.GenerateContentResponse.self, from: Data(filtered.utf8))))
                == filtered)
        #expect(GeminiOutcome(status: 200, body: Data(filtered.utf8)) == .blocked(reason: "IMAGE_SAFETY"))
    }

    @Test func oddSuccessAnswersAreSortedAsBefore() {
        func outcome(_ text: String) -> GeminiOutcome { GeminiOutcome(status: 200, body: Data(text.utf8)) }
        #expect(outcome("not json") == .noImage(reason: "NO_CANDIDATES"))
        #expect(outcome(#"{"candidates":[]}"#) == .noImage(reason: "NO_CANDIDATES"))
        #expect(outcome(#"{"candidates":[{"content":{"parts":[{"text":"only words"}]},"finishReason":"STOP"}]}"#) == .noImage(reason: "STOP"))
        #expect(outcome(#"{"candidates":[{"content":{"parts":[{"text":"x"}]}}]}"#) == .noImage(reason: "STOP"))
        #expect(outcome(#"{"candidates":[{"finishReason":"NO_IMAGE"}]}"#) == .noImage(reason: "NO_IMAGE"))
        // The snake spelling, a missing mime type, and a part whose data is not base64 (skipped).
        let snake = #"{"candidates":[{"content":{"parts":[{"inline_data":{"data":"%%%"}},{"inline_data":{"data":"AAEC"}}]},"unknown":{}}]}"#
        #expect(outcome(snake) == .image(Data([0, 1, 2]), mimeType: "image/png"))
    }

    /// The free tier's 429 as the sandbox (and Google) writes it.
    static let quotaError =
        #"{"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED","details":["#
        + #"{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/"#
        + #"generate_content_free_tier_requests","quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier","#
        + #""quotaDimensions":{"location":"global","model":"gemini-2.5-flash-image"},"quotaValue":"10"}]},"#
        + #"{"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Learn more about Gemini API quotas","#
        + #""url":"https://ai.google.dev/gemini-api/docs/rate-limits"}]},"#
        + #"{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"47s"}]}}"#

    @Test func errorAnswersAreReadAndWrittenInGooglesOrder() throws {
        let quota = GeminiAPI.ErrorBody.read(Data(Self.quotaError.utf8))
        #expect(quota.error.code == 429 && quota.error.details?.count == 3)
        #expect(try Self.text(GeminiAPI.body(quota)) == Self.quotaError)
        #expect(
            GeminiOutcome(status: 429, body: Data(Self.quotaError.utf8))
                == .rateLimited(quotaID: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier", retryDelay: .seconds(47)))

        let invalidKey =
            #"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","#
            + #""details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","#
            + #""metadata":{"service":"generativelanguage.googleapis.com"}},{"@type":"type.googleapis.com/google.rpc.LocalizedMessage","#
            + #""locale":"en-US","message":"API key not valid. Please pass a valid API key."}]}}"#
        #expect(try Self.text(GeminiAPI.body(GeminiAPI.ErrorBody.read(Data(invalidKey.utf8)))) == invalidKey)
        #expect(GeminiOutcome(status: 400, body: Data(invalidKey.utf8)) == .keyRejected(reason: "API_KEY_INVALID"))

        // No details: the key is left out, as Google does.
        let overloaded = GeminiAPI.ErrorBody(error: .init(code: 503, message: "The model is overloaded.", status: "UNAVAILABLE", details: []))
        #expect(try Self.text(GeminiAPI.body(overloaded)) == #"{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}"#)
        #expect(
            GeminiOutcome(status: 503, body: try GeminiAPI.body(overloaded))
                == .transient(code: "gemini_503", message: "The model is overloaded."))
        #expect(
            GeminiOutcome(status: 403, body: Data(#"{"error":{"code":403,"status":"PERMISSION_DENIED"}}"#.utf8))
                == .keyRejected(reason: "PERMISSION_DENIED"))
        #expect(GeminiOutcome(status: 404, body: Data("<html>".utf8)) == .invalidRequest(status: 404, message: "HTTP 404"))
        #expect(GeminiOutcome(status: 429, body: Data(#"{"error":{"details":[1,2]}}"#.utf8)) == .rateLimited(quotaID: nil, retryDelay: nil))
    }
}
