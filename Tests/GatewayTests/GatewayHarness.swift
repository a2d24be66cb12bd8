import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhHTTP
@testable import OzhMongo
@testable import OzhObservability
@testable import OzhSettings

/// A gateway over the real test Redis and SecantusDB, with a fresh database per test,
/// served over real HTTP (`.live`).
enum GatewayHarness {
    static let apiKey = "test-api-key-0123456789"
    static let secondKey = "rotated-api-key-9876543210"
    /// The port of the running gateway's metrics server (`/metrics` is not on the public port).
    @TaskLocal static var metricsPort: Int?

    static func settings(_ extra: [String: String] = [:]) throws -> Settings {
        var values = [
            "REDIS_URL": try TestServers.redisURL, "MONGO_URI": try TestServers.mongoURI, "API_KEY": "\(apiKey),\(secondKey)",
            "MONGO_DB_NAME": "gw_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased(),
            "HOST": "127.0.0.1", "PORT": "0", "REDIS_PREFIX": "test:\(UUID().uuidString.prefix(8)):",
        ]
        // As deployed: the gateway knows the Gemini projects by name, without the keys.
        if extra["GEMINI_API_KEYS_STR"] == nil { values["GEMINI_PROJECTS"] = "test-project" }
        values.merge(extra) { $1 }
        return try Settings(source: SettingsSource(values: values))
    }

    /// Runs `body` against a live gateway and drops the test database afterwards.
    static func withGateway<T: Sendable>(
        _ extra: [String: String] = [:],
        _ body: @Sendable (any TestClientProtocol, GatewayServices) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "test-gateway")
        logger.logLevel = .warning
        let services = try GatewayServices(settings: try settings(extra), logger: logger)
        try await services.users.createIndexes()
        defer { services.mongo.shutdown() }
        // As in main.swift: /metrics, /health and /ready on a port of their own.
        let metrics = try await MetricsServer.bind(
            host: "127.0.0.1", port: 0, readiness: services.readiness,
            collectors: MetricsRoutes.collectors(services), logger: logger)
        let serving = Task { try await metrics.run() }
        defer {
            metrics.close()
            serving.cancel()
        }
        do {
            let result = try await $metricsPort.withValue(metrics.port) {
                try await buildApplication(services).test(.live) { client in try await body(client, services) }
            }
            try? await services.mongo.dropDatabase()
            return result
        } catch {
            try? await services.mongo.dropDatabase()
            throw error
        }
    }

    static func headers(key: String? = apiKey, json: Bool = true) -> HTTPFields {
        var fields = HTTPFields()
        if let key { fields[apiKeyHeader] = key }
        if json { fields[.contentType] = "application/json" }
        return fields
    }
}

extension TestClientProtocol {
    /// Sends a request with the test api-key and returns status and parsed JSON object.
    func call(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, key: String? = GatewayHarness.apiKey,
        headers extra: HTTPFields = [:]
    ) async throws -> (status: Int, body: [String: Any]) {
        var headers = GatewayHarness.headers(key: key, json: json != nil)
        headers.append(contentsOf: extra)
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            let data = Data(response.body.readableBytesView)
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return (Int(response.status.code), object)
        }
    }
}

/// The `error.code` of an error body.
func errorCode(_ body: [String: Any]) -> String? {
    (body["error"] as? [String: Any])?["code"] as? String
}

/// The `error.message` of an error body.
func errorMessage(_ body: [String: Any]) -> String {
    (body["error"] as? [String: Any])?["message"] as? String ?? ""
}
