import Foundation
import HTTPTypes
import HummingbirdTesting
import TestSupport
import Testing

@testable import OzhHTTP

/// One sample line of the Prometheus text format: `name{label="value",…} value`.
struct MetricSample: Equatable {
    let name: String
    let labels: [String: String]
    let value: Double
}

/// A parsed `/metrics` answer.
struct MetricsText {
    let samples: [MetricSample]
    /// Names declared by `# TYPE` lines, with their type.
    let types: [String: String]

    init(_ text: String) throws {
        var samples: [MetricSample] = []
        var types: [String: String] = [:]
        for line in text.split(separator: "\n").map(String.init) where !line.isEmpty {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count == 4 { types[String(parts[2])] = String(parts[3]) }
                continue
            }
            if line.hasPrefix("#") { continue }
            samples.append(try Self.sample(line))
        }
        self.samples = samples
        self.types = types
    }

    /// Every sample name (histograms contribute `_bucket`, `_sum` and `_count`).
    var names: Set<String> { Set(samples.map(\.name)) }

    /// The sum of the samples of `name` whose labels include `labels`, or nil when none match.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = samples.filter { sample in
            sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }
        return matching.isEmpty ? nil : matching.map(\.value).reduce(0, +)
    }

    /// `value` here minus `value` in `earlier` (a missing series counts as 0).
    func increase(_ name: String, _ labels: [String: String], since earlier: MetricsText) -> Double {
        (value(name, labels) ?? 0) - (earlier.value(name, labels) ?? 0)
    }

    private static func sample(_ line: String) throws -> MetricSample {
        let chars = Array(line)
        var index = 0
        var name = ""
        while index < chars.count, chars[index] != "{", chars[index] != " " { name.append(chars[index]); index += 1 }
        var labels: [String: String] = [:]
        if index < chars.count, chars[index] == "{" {
            index += 1
            while index < chars.count, chars[index] != "}" {
                var key = ""
                while index < chars.count, chars[index] != "=" { key.append(chars[index]); index += 1 }
                index += 2 // ="
                var value = ""
                while index < chars.count, chars[index] != "\"" {
                    if chars[index] == "\\", index + 1 < chars.count {
                        index += 1
                        value.append(chars[index] == "n" ? "\n" : chars[index])
                    } else {
                        value.append(chars[index])
                    }
                    index += 1
                }
                index += 1 // closing quote
                if index < chars.count, chars[index] == "," { index += 1 }
                labels[key] = value
            }
            index += 1 // }
        }
        let rest = String(chars[min(index, chars.count)...]).trimmingCharacters(in: .whitespaces)
        guard let value = Double(rest.split(separator: " ").first.map(String.init) ?? "") else {
            throw TestSetupError("not a Prometheus sample line: \(line)")
        }
        return MetricSample(name: name, labels: labels, value: value)
    }
}

extension TestClientProtocol {
    /// `GET /metrics` without an api-key; checks the status and content type.
    func scrapeMetrics() async throws -> MetricsText {
        // The gateway's metrics port (GatewayHarness runs one), never the public port.
        let port = try #require(GatewayHarness.metricsPort, "no gateway metrics port: run inside GatewayHarness.withGateway")
        let (status, type, text) = try await metricsPortGet(port, "/metrics")
        try #require(status == 200, "GET /metrics answered \(status): \(text)")
        #expect(type?.hasPrefix("text/plain; version=0.0.4") == true)
        return try MetricsText(text)
    }
}

/// A plain HTTP GET against a worker's metrics port: status, content type and body text.
func metricsPortGet(_ port: Int, _ path: String, method: String = "GET") async throws -> (status: Int, type: String?, body: String) {
    let client = HTTPClient(configuration: .init(connectTimeout: .seconds(2), totalTimeout: .seconds(15)))
    let response = try await client.execute(HTTPRequest(method: method, url: "http://127.0.0.1:\(port)\(path)"))
    let type = response.headers.first { $0.0.lowercased() == "content-type" }?.1
    return (response.status, type, response.bodyText)
}

/// Scrapes a worker's `/metrics`.
func scrapeWorker(_ port: Int) async throws -> MetricsText {
    let (status, type, body) = try await metricsPortGet(port, "/metrics")
    try #require(status == 200, "worker /metrics answered \(status): \(body)")
    #expect(type?.hasPrefix("text/plain; version=0.0.4") == true)
    return try MetricsText(body)
}

/// Polls (bounded) a worker's `/metrics` until `condition` holds; returns the last scrape.
func scrapeWorker(_ port: Int, within limit: Duration, until condition: (MetricsText) -> Bool) async throws -> MetricsText {
    let deadline = ContinuousClock.now + limit
    var metrics = try await scrapeWorker(port)
    while !condition(metrics), ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(100))
        metrics = try await scrapeWorker(port)
    }
    return metrics
}

/// The JSON object of a body, or an empty one.
func jsonObject(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}
