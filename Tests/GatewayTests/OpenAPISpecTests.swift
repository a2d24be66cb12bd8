import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TestSupport
import Testing
import Yams

@testable import APIGateway
@testable import OzhDomain
@testable import OzhHTTP
@testable import OzhImages
@testable import OzhMongo
@testable import OzhQueue
@testable import OzhRedis

/// `openapi.yaml` against the gateway itself: the routes the real router serves are exactly
/// the operations it describes, an operation needs the api-key exactly when it says so, the
/// error codes the code can answer with are the ones it lists, and the gateway serves it.
@Suite("OpenAPI description")
struct OpenAPISpecTests {
    static let httpMethods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// The repository's root `openapi.yaml` (a link to the APIGateway resource).
    static let specURL = TestPackage.root.appendingPathComponent("openapi.yaml")

    static func specText() throws -> String {
        try String(contentsOf: specURL, encoding: .utf8)
    }

    static func spec() throws -> [String: Any] {
        try #require(try Yams.load(yaml: specText()) as? [String: Any], "openapi.yaml is a YAML mapping")
    }

    /// Every operation of the spec: method (upper case), path template and its object.
    static func operations(_ spec: [String: Any]) throws -> [(method: String, path: String, operation: [String: Any])] {
        let paths = try #require(spec["paths"] as? [String: Any])
        return paths.flatMap { path, item -> [(method: String, path: String, operation: [String: Any])] in
            let item = item as? [String: Any] ?? [:]
            return item.compactMap { key, value in
                guard Self.httpMethods.contains(key), let operation = value as? [String: Any] else { return nil }
                return (key.uppercased(), path, operation)
            }
        }
    }

    /// Whether an operation needs the api-key: its own `security`, else the document's.
    static func requiresKey(_ operation: [String: Any], _ spec: [String: Any]) -> Bool {
        let security = (operation["security"] ?? spec["security"]) as? [Any] ?? []
        return !security.isEmpty
    }

    /// The gateway's real router, built as `ozh-gateway` builds it.
    static func router() throws -> Router<GatewayContext> {
        var logger = Logger(label: "openapi-test")
        logger.logLevel = .critical
        let services = try GatewayServices(settings: try GatewayHarness.settings(), logger: logger)
        defer { services.mongo.shutdown() }
        return buildRouter(services)
    }

    @Test(.needsServers) func theRouterServesExactlyTheDescribedOperations() throws {
        let served = Set(try Self.router().routes.map { "\($0.method.rawValue) \($0.path.description)" })
        let described = Set(try Self.operations(try Self.spec()).map { "\($0.method) \($0.path)" })
        #expect(served.count >= 13, "the router lists its routes: \(served.sorted())")
        #expect(served.subtracting(described).isEmpty, "served but not in openapi.yaml: \(served.subtracting(described).sorted())")
        #expect(described.subtracting(served).isEmpty, "in openapi.yaml but not served: \(described.subtracting(served).sorted())")
    }

    @Test func everyOperationDocumentsItsStatusesAndHeaders() throws {
        let spec = try Self.spec()
        for (method, path, operation) in try Self.operations(spec) {
            let responses = try #require(operation["responses"] as? [String: Any], "\(method) \(path) has responses")
            let statuses = Set(responses.keys)
            #expect(statuses.contains { $0.hasPrefix("2") }, "\(method) \(path) documents a success")
            #expect(statuses.contains("500"), "\(method) \(path) documents 500 internal_error")
            if Self.requiresKey(operation, spec) {
                #expect(statuses.contains("401"), "\(method) \(path) needs the api-key, so it documents 401")
            } else {
                #expect(!statuses.contains("401"), "\(method) \(path) is open, so it never answers 401")
            }
            if operation["requestBody"] != nil {
                #expect(statuses.contains("413"), "\(method) \(path) reads a body, so it documents 413")
                #expect(statuses.contains("415"), "\(method) \(path) reads a typed body, so it documents 415")
            }
            for status in statuses where status == "429" || status == "503" {
                let response = try Self.resolve(responses[status], in: spec)
                let headers = response["headers"] as? [String: Any] ?? [:]
                #expect(headers["Retry-After"] != nil, "\(method) \(path) \(status) documents Retry-After")
            }
        }
    }

    /// Follows a local `$ref` (`#/components/...`).
    static func resolve(_ value: Any?, in spec: [String: Any]) throws -> [String: Any] {
        var object = try #require(value as? [String: Any])
        while let ref = object["$ref"] as? String {
            var node: Any = spec
            for key in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(key)] as Any }
            object = try #require(node as? [String: Any], "\(ref) resolves")
        }
        return object
    }

    /// The stable codes the gateway's code can answer with: the literal codes of every
    /// `APIError(...)` and `encodeError(code:)` in Sources/APIGateway, and what `APIError.from`
    /// makes of every error the shared libraries throw to it.
    static func emittedCodes() throws -> Set<String> {
        let sources = TestPackage.root.appendingPathComponent("Sources/APIGateway")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?.allObjects as? [URL])
        var codes = Set<String>()
        // The code argument: the first of `APIError.badRequest(`, the second of `APIError(.status,`
        // (a literal or a choice between literals), `code:` of `encodeError(`; the formatter may
        // break the line after the parenthesis.
        let arguments = try [#"APIError\.badRequest\(\s*([^,]*),"#, #"APIError\(\s*\.[A-Za-z]+,([^,]*),"#, #"encodeError\(\s*code:([^,]*),"#]
            .map { try Regex($0) }
        let literal = try Regex(#""([a-z][a-z0-9]*(?:_[a-z0-9]+)*)""#)
        for file in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for pattern in arguments {
                for argument in text.matches(of: pattern).compactMap({ $0.output[1].substring }) {
                    codes.formUnion(argument.matches(of: literal).compactMap { $0.output[1].substring.map(String.init) })
                }
            }
        }
        let billing: [BillingError] = [
            .userNotFound(1), .userExists(1), .insufficientBalance(balance: 0, needed: 1),
            .dailyBonusAlreadyClaimed(day: "2026-01-01"), .contention, .tooManyJobs(limit: 2),
            .alreadySettled(jobID: "j"),
        ]
        let images: [ImageError] = [.unsupportedFormat, .undecodable("x"), .tooManyPixels(width: 1, height: 1), .empty, .processingFailed("x")]
        let redis: [RedisError] = [.unavailable("x"), .timeout, .server("x")]
        var thrown: [any Error] = billing
        thrown += images as [any Error]
        thrown += redis as [any Error]
        thrown += redis.map(JobQueueError.redis) as [any Error]
        thrown += [
            IdempotencyError.invalidKey, IdempotencyError.keyReused, MongoError.unavailable("x"), MongoError.notFound,
            NIOTooManyBytesError(maxBytes: 1),
        ]
        for status in [400, 401, 403, 404, 405, 408, 411, 413, 415, 416, 431, 500, 503] {
            thrown.append(HTTPError(HTTPResponse.Status(code: status)))
        }
        for error in thrown {
            if let code = APIError.from(error)?.code, !code.hasPrefix("http_") { codes.insert(code) }
        }
        return codes
    }

    @Test func theErrorCodeListIsExactlyWhatTheCodeAnswers() throws {
        let spec = try Self.spec()
        let listed = Set(try #require(try Self.resolve(["$ref": "#/components/schemas/ErrorCode"], in: spec)["enum"] as? [String]))
        let emitted = try Self.emittedCodes()
        #expect(emitted.count > 30, "the scan finds the gateway's codes: \(emitted.sorted())")
        #expect(emitted.subtracting(listed).isEmpty, "answered but not in ErrorCode: \(emitted.subtracting(listed).sorted())")
        #expect(listed.subtracting(emitted).isEmpty, "in ErrorCode but never answered: \(listed.subtracting(emitted).sorted())")
    }

    @Test(.needsServers) func theGatewayServesTheDocumentAndChecksKeysAsItSays() async throws {
        try await GatewayHarness.withGateway { client, _ in
            let spec = try Self.spec()
            let file = try Self.specText()
            try await client.execute(uri: "/openapi.yaml", method: .get, headers: [:]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/yaml")
                #expect(String(buffer: response.body) == file, "the served document is the repository's openapi.yaml")
            }
            // Without a key, each operation answers 401 exactly when it needs one.
            for (method, path, operation) in try Self.operations(spec) {
                let uri = path.replacingOccurrences(of: "{chat_id}", with: "1").replacingOccurrences(of: "{job_id}", with: "job-1")
                    .replacingOccurrences(of: "{n}", with: "0")
                let status = try await client.execute(uri: uri, method: HTTPTypes.HTTPRequest.Method(method)!, headers: [:]) { $0.status.code }
                if Self.requiresKey(operation, spec) {
                    #expect(status == 401, "\(method) \(path) without api-key")
                } else {
                    #expect(status != 401 && status != 404, "\(method) \(path) is open and served: \(status)")
                }
            }
        }
    }
}
