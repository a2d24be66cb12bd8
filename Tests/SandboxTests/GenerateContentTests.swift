import Foundation
import Testing

@testable import OzhImages
@testable import Sandbox

@Suite("generateContent: answers and validation")
struct GenerateContentTests {
    @Test func successShapeWithBothSpellingsAndDifferentImages() async throws {
        try await SandboxHarness.withSandbox { client in
            let snake = try await client.generate(key: "any-key-1", body: SandboxHarness.body(camelCase: false))
            let camel = try await client.generate(key: "any-key-1", body: SandboxHarness.body(camelCase: true))
            for reply in [snake, camel] {
                #expect(reply.status == 200)
                #expect(reply.finishReason == "STOP")
                #expect(reply.parts.first?["text"] as? String == "Here is your drawing brought to life!")
                let inline = try #require(reply.parts.compactMap { $0["inlineData"] as? [String: Any] }.first)
                #expect(inline["mimeType"] as? String == "image/png")
                let candidate = try #require((reply.json["candidates"] as? [[String: Any]])?.first)
                #expect((candidate["content"] as? [String: Any])?["role"] as? String == "model")
                #expect(candidate["index"] as? Int == 0)
                let usage = try #require(reply.json["usageMetadata"] as? [String: Any])
                #expect(usage["candidatesTokenCount"] as? Int == 1290)
                let prompt = try #require(usage["promptTokenCount"] as? Int)
                #expect(usage["totalTokenCount"] as? Int == prompt + 1290)
                #expect(reply.json["modelVersion"] as? String == SandboxHarness.model)
                #expect((reply.json["responseId"] as? String)?.isEmpty == false)
            }
            let first = try #require(snake.imageData)
            let second = try #require(camel.imageData)
            #expect(ImageFormat.sniff(first) == .png)
            #expect(ImageFormat.sniff(second) == .png)
            #expect(first != second)
            #expect(first != SandboxHarness.drawing)
            #expect(try MagickImage.inspect(first).width > 0)
            #expect(snake.json["responseId"] as? String != camel.json["responseId"] as? String)
        }
    }

    @Test func noInputImageStillDrawsFromACanvas() async throws {
        try await SandboxHarness.withSandbox { client in
            let reply = try await client.generate(key: "k", body: SandboxHarness.body(image: nil))
            #expect(reply.status == 200)
            #expect(ImageFormat.sniff(try #require(reply.imageData)) == .png)
        }
    }

    @Test func keyFromHeaderOrQueryAndMissingOrUnknownKeys() async throws {
        try await SandboxHarness.withSandbox(["SANDBOX_GEMINI_KEYS": "proj-a:good-key-1"]) { client in
            #expect(try await client.generate(key: "good-key-1").status == 200)
            #expect(try await client.generate(key: "good-key-1", inQuery: true).status == 200)

            let missing = try await client.generate(key: nil)
            #expect(missing.status == 403)
            #expect(missing.errorStatus == "PERMISSION_DENIED")
            #expect((missing.error["message"] as? String)?.hasPrefix("Method doesn't allow unregistered callers") == true)

            for inQuery in [false, true] {
                let unknown = try await client.generate(key: "stranger-key", inQuery: inQuery)
                #expect(unknown.status == 400)
                #expect(unknown.errorStatus == "INVALID_ARGUMENT")
                #expect(unknown.error["code"] as? Int == 400)
                #expect(unknown.error["message"] as? String == "API key not valid. Please pass a valid API key.")
                let info = try #require(unknown.detail("ErrorInfo"))
                #expect(info["reason"] as? String == "API_KEY_INVALID")
                #expect(info["domain"] as? String == "googleapis.com")
                #expect((info["metadata"] as? [String: Any])?["service"] as? String == "generativelanguage.googleapis.com")
            }
            let stats = try await client.stats()
            #expect(stats["total_calls"] as? Int == 5)
            #expect(stats["unauthenticated_calls"] as? Int == 3)
            #expect(stat(stats, "projects", "proj-a", "ok") == 2)
        }
    }

    @Test func invalidRequestsAre400() async throws {
        try await SandboxHarness.withSandbox { client in
            let twoCandidates = try await client.generate(key: "k", body: SandboxHarness.body(candidateCount: 2))
            #expect(twoCandidates.status == 400)
            #expect(twoCandidates.errorStatus == "INVALID_ARGUMENT")

            let malformed = try await client.generate(key: "k", body: #"{"contents": [ {"parts": ["#)
            #expect(malformed.status == 400)
            #expect(malformed.errorStatus == "INVALID_ARGUMENT")
            #expect((malformed.error["message"] as? String)?.hasPrefix("Invalid JSON payload received") == true)

            let noContents = try await client.generate(key: "k", body: #"{"contents": []}"#)
            #expect(noContents.status == 400)

            let notAnImage = try await client.generate(key: "k", body: SandboxHarness.body(image: Data("hello".utf8)))
            #expect(notAnImage.status == 400)

            let badBase64 = SandboxHarness.textBody.replacingOccurrences(
                of: #"{"text":"Bring this drawing to life"}"#, with: #"{"inline_data":{"mime_type":"image/png","data":"%%%"}}"#)
            #expect(try await client.generate(key: "k", body: badBase64).status == 400)

            let huge = #"{"contents":[{"parts":[{"text":""# + String(repeating: "a", count: 21 * 1024 * 1024) + #""}]}]}"#
            let tooBig = try await client.generate(key: "k", body: huge)
            #expect(tooBig.status == 400)
            #expect(tooBig.error["message"] as? String == "Request payload size exceeds the limit: 20971520 bytes.")

            let otherAction = try await client.generate(key: "k", action: "streamGenerateContent")
            #expect(otherAction.status == 404)
            #expect(otherAction.errorStatus == "NOT_FOUND")

            // Invalid requests take no quota.
            let stats = try await client.stats()
            #expect(stat(stats, "projects", "k", "calls_today") == 0)
            #expect(stat(stats, "keys", "k", "errors") == 6)
        }
    }

    @Test func textOnlyModalityAnswersText() async throws {
        try await SandboxHarness.withSandbox { client in
            let reply = try await client.generate(key: "k", body: SandboxHarness.body(modalities: ["TEXT"]))
            #expect(reply.status == 200)
            #expect(reply.finishReason == "STOP")
            #expect(reply.imageData == nil)
            #expect(reply.parts.count == 1)
        }
    }
}
