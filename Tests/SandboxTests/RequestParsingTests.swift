import Foundation
import Testing

@testable import Sandbox

/// Issue 14: the emulators read requests through the shared `GeminiAPI` / `YooKassaAPI` types
/// and still answer each malformed body with the message and parameter they gave before.
@Suite("Emulators: request parsing through the shared body types")
struct RequestParsingTests {
    static func geminiMessage(_ body: String) -> String? {
        do {
            _ = try GeminiRequest.parse(Data(body.utf8))
            return nil
        } catch {
            return error.message
        }
    }

    @Test func geminiRequestsAreReadInEitherSpelling() throws {
        let snake =
            #"{"contents":[{"role":"user","parts":[{"text":"hi"},{"inline_data":{"mime_type":"image/png","data":"AAEC"}}]}],"#
            + #""generation_config":{"response_modalities":["text","image"],"candidate_count":1}}"#
        let request = try GeminiRequest.parse(Data(snake.utf8))
        #expect(request.texts == ["hi"] && request.images.first?.data == Data([0, 1, 2]) && request.images.first?.mimeType == "image/png")
        #expect(request.responseModalities == ["TEXT", "IMAGE"] && request.candidateCount == 1)
        let camel = #"{"contents":[{"parts":[{"inlineData":{"mimeType":"image/jpeg","data":"AAEC"}}]}],"generationConfig":{"candidateCount":2}}"#
        let other = try GeminiRequest.parse(Data(camel.utf8))
        #expect(other.images.first?.mimeType == "image/jpeg" && other.candidateCount == 2 && other.responseModalities == nil)
    }

    @Test func malformedGeminiRequestsKeepGooglesMessages() {
        let cases: [(String, String)] = [
            (#"{"contents": [ {"parts": ["#, "Invalid JSON payload received. Unexpected token."),
            ("[1]", "Invalid JSON payload received. Unknown name \"\": Root element must be a message."),
            (#"{"contents": []}"#, "* GenerateContentRequest.contents: contents is not specified\n"),
            (#"{"contents": "x"}"#, "* GenerateContentRequest.contents: contents is not specified\n"),
            (#"{}"#, "* GenerateContentRequest.contents: contents is not specified\n"),
            (#"{"contents": [{"parts": []}]}"#, "* GenerateContentRequest.contents[0].parts: contents.parts must not be empty.\n"),
            (#"{"contents": [{"parts": [{"text":"a"}]}, 7]}"#, "* GenerateContentRequest.contents[1].parts: contents.parts must not be empty.\n"),
            (#"{"contents": [{"parts": {"text":"a"}}]}"#, "* GenerateContentRequest.contents[0].parts: contents.parts must not be empty.\n"),
            (
                #"{"contents": [{"parts": [{"text":"a"}, "b"]}]}"#,
                "Invalid JSON payload received. Unknown name \"\" at 'contents[0].parts[1]': Proto field is not repeating, cannot start list."
            ),
            (
                #"{"contents": [{"parts": [{"inline_data": {"data": "%%%"}}]}]}"#,
                "Invalid value at 'contents[0].parts[0].inline_data.data' (TYPE_BYTES), Base64 decoding failed"
            ),
            (
                #"{"contents": [{"parts": [{"other": 1}]}]}"#,
                "* GenerateContentRequest.contents[0].parts[0].data: required oneof field 'data' must have one initialized field\n"
            ),
            (
                #"{"contents": [{"parts": [{"text":"a"}]}], "generation_config": [1]}"#,
                "Invalid JSON payload received. Unknown name \"generation_config\": Proto field is not repeating, cannot start list."
            ),
            (
                #"{"contents": [{"parts": [{"text":"a"}]}], "generationConfig": {"responseModalities": [1]}}"#,
                "Invalid value at 'generation_config.response_modalities' (type.googleapis.com/google.ai.generativelanguage.v1beta.GenerationConfig.Modality)"
            ),
            (
                #"{"contents": [{"parts": [{"text":"a"}]}], "generationConfig": {"responseModalities": ["VIDEO"]}}"#,
                "Invalid value at 'generation_config.response_modalities[0]' (type.googleapis.com/google.ai.generativelanguage.v1beta.GenerationConfig.Modality), \"VIDEO\""
            ),
            (
                #"{"contents": [{"parts": [{"text":"a"}]}], "generation_config": {"candidate_count": "two"}}"#,
                "Invalid value at 'generation_config.candidate_count' (TYPE_INT32)"
            ),
        ]
        for (body, message) in cases {
            #expect(Self.geminiMessage(body) == message, "\(body)")
        }
    }

    static func yookassaParameter(_ body: String) -> String?? {
        do {
            _ = try YooKassaCreateRequest.parse(Data(body.utf8))
            return .none
        } catch {
            return .some(error.parameter)
        }
    }

    @Test func malformedPaymentRequestsNameTheirParameter() throws {
        let confirmation = #""confirmation":{"type":"redirect","return_url":"https://x"}"#
        let amount = #""amount":{"value":"1.00","currency":"RUB"}"#
        let ok = try YooKassaCreateRequest.parse(Data(#"{\#(amount),\#(confirmation),"metadata":{"b":"2","a":"1"},"receipt":{}}"#.utf8))
        #expect(ok.amount.kopecks == 100 && !ok.capture && ok.hasReceipt && ok.metadata?.fields.map(\.key) == ["a", "b"])
        let cases: [(String, String?)] = [
            ("nonsense", nil), ("[]", nil),
            (#"{\#(confirmation)}"#, "amount"), (#"{"amount":"1.00",\#(confirmation)}"#, "amount"),
            (#"{"amount":{"value":1.0,"currency":"RUB"},\#(confirmation)}"#, "amount.value"),
            (#"{"amount":{"value":"1.0","currency":"RUB"},\#(confirmation)}"#, "amount.value"),
            (#"{"amount":{"value":"1.00"},\#(confirmation)}"#, "amount.currency"),
            (#"{"amount":{"value":"1.00","currency":"USD"},\#(confirmation)}"#, "amount.currency"),
            (#"{\#(amount),"capture":"yes",\#(confirmation)}"#, "capture"), (#"{\#(amount),"capture":null,\#(confirmation)}"#, "capture"),
            (#"{\#(amount)}"#, "confirmation"), (#"{\#(amount),"confirmation":{"type":"embedded","return_url":"https://x"}}"#, "confirmation.type"),
            (#"{\#(amount),"confirmation":{"type":"redirect","return_url":7}}"#, "confirmation.return_url"),
            (#"{\#(amount),\#(confirmation),"description":5}"#, "description"),
            (#"{\#(amount),\#(confirmation),"metadata":"m"}"#, "metadata"), (#"{\#(amount),\#(confirmation),"receipt":[]}"#, "receipt"),
        ]
        for (body, parameter) in cases {
            #expect(Self.yookassaParameter(body) == .some(parameter), "\(body)")
        }
        #expect(Self.yookassaParameter(#"{\#(amount),\#(confirmation),"description":null,"metadata":null,"receipt":null}"#) == .none)
    }

    @Test func malformedRefundRequestsNameTheirParameter() {
        func parameter(_ body: String) -> String?? {
            do {
                _ = try YooKassaRefundRequest.parse(Data(body.utf8))
                return .none
            } catch {
                return .some(error.parameter)
            }
        }
        let amount = #""amount":{"value":"1.00","currency":"RUB"}"#
        #expect(parameter(#"{"payment_id":"p",\#(amount),"description":"d"}"#) == .none)
        #expect(parameter(#"{\#(amount)}"#) == .some("payment_id"))
        #expect(parameter(#"{"payment_id":"",\#(amount)}"#) == .some("payment_id"))
        #expect(parameter(#"{"payment_id":"p","amount":{"value":"0.00","currency":"RUB"}}"#) == .some("amount.value"))
        #expect(parameter(#"{"payment_id":"p",\#(amount),"description":null}"#) == .some("description"))
        #expect(parameter("[]") == .some(nil))
    }
}
