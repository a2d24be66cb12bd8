import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import OzhHTTP
@testable import OzhImages
@testable import Sandbox

/// A sandbox served over real HTTP (`.live`) with `SANDBOX_*` settings given per test.
enum SandboxHarness {
    static let model = "gemini-2.5-flash-image"

    static func configuration(_ environment: [String: String] = [:]) throws -> SandboxConfiguration {
        var values = ["SANDBOX_HOST": "127.0.0.1", "SANDBOX_PORT": "0"]
        values.merge(environment) { $1 }
        return try SandboxConfiguration(environment: values)
    }

    static func withSandbox<T: Sendable>(
        _ environment: [String: String] = [:],
        _ body: @Sendable (any TestClientProtocol) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "test-sandbox")
        logger.logLevel = .warning
        return try await buildSandbox(configuration: configuration(environment), logger: logger).test(.live) { client in
            try await body(client)
        }
    }

    /// A small input drawing (PNG).
    static let drawing: Data = try! MagickImage.makeImage(width: 96, height: 64, format: .png)

    /// A generateContent body with a prompt, optionally an image under either spelling.
    static func body(
        image: Data? = drawing, camelCase: Bool = false, modalities: [String] = ["TEXT", "IMAGE"],
        candidateCount: Int? = nil
    ) -> String {
        var parts = [#"{"text":"Bring this drawing to life"}"#]
        if let image {
            let inline =
                camelCase
                ? #"{"inlineData":{"mimeType":"image/png","data":"\#(image.base64EncodedString())"}}"#
                : #"{"inline_data":{"mime_type":"image/png","data":"\#(image.base64EncodedString())"}}"#
            parts.append(inline)
        }
        var config = #""responseModalities":[\#(modalities.map { "\"\($0)\"" }.joined(separator: ","))]"#
        if let candidateCount { config += #","candidateCount":\#(candidateCount)"# }
        return #"{"contents":[{"role":"user","parts":[\#(parts.joined(separator: ","))]}],"generationConfig":{\#(config)}}"#
    }

    /// A cheap body: text in, text out (no image work), for quota tests.
    static let textBody = body(image: nil, modalities: ["TEXT"])
}

/// A parsed answer.
struct Reply: @unchecked Sendable {
    var status: Int
    var json: [String: Any]
    var headers: HTTPFields

    var error: [String: Any] { json["error"] as? [String: Any] ?? [:] }
    var errorStatus: String? { error["status"] as? String }
    var details: [[String: Any]] { error["details"] as? [[String: Any]] ?? [] }
    func detail(_ type: String) -> [String: Any]? {
        details.first { $0["@type"] as? String == "type.googleapis.com/google.rpc.\(type)" }
    }
    var parts: [[String: Any]] {
        let candidate = (json["candidates"] as? [[String: Any]])?.first
        return (candidate?["content"] as? [String: Any])?["parts"] as? [[String: Any]] ?? []
    }
    var finishReason: String? { ((json["candidates"] as? [[String: Any]])?.first)?["finishReason"] as? String }
    var imageData: Data? {
        let inline = parts.compactMap { $0["inlineData"] as? [String: Any] }.first
        return (inline?["data"] as? String).flatMap { Data(base64Encoded: $0) }
    }
}

extension TestClientProtocol {
    /// Calls generateContent with `key` in the header (or in `?key=` when `inQuery`).
    func generate(
        key: String?, body: String = SandboxHarness.textBody, inQuery: Bool = false,
        model: String = SandboxHarness.model, action: String = "generateContent"
    ) async throws -> Reply {
        var uri = "/v1beta/models/\(model):\(action)"
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key {
            if inQuery { uri += "?key=\(key)" } else { headers[GeminiRoutes.apiKeyHeader] = key }
        }
        return try await send(.post, uri, headers: headers, body: ByteBuffer(string: body))
    }

    /// Calls a control endpoint.
    func control(_ method: HTTPRequest.Method, _ path: String, json: String? = nil) async throws -> Reply {
        try await send(method, path, headers: [.contentType: "application/json"], body: json.map { ByteBuffer(string: $0) })
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields, body: ByteBuffer?) async throws -> Reply {
        try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
            return Reply(status: Int(response.status.code), json: object, headers: response.headers)
        }
    }

    /// `GET /_sandbox/gemini/stats`.
    func stats() async throws -> [String: Any] { try await control(.get, "/_sandbox/gemini/stats").json }
}

/// `stats[section][name][field]` as an Int.
func stat(_ stats: [String: Any], _ section: String, _ name: String, _ field: String) -> Int? {
    ((stats[section] as? [String: Any])?[name] as? [String: Any])?[field] as? Int
}

/// Seconds in a protobuf Duration string ("47s", "0.250s").
func seconds(_ duration: String?) -> Double? {
    guard let duration, duration.hasSuffix("s") else { return nil }
    return Double(duration.dropLast())
}
