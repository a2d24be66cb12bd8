import Foundation
import TestSupport
import Testing
import Yams

/// The alert rules and the Grafana dashboard in deploy/ only use metrics the services export.
@Suite("Deploy metrics files", .serialized, .needsServers)
struct DeployMetricsTests {
    static var deployDirectory: URL {
        // <root>/Tests/GatewayTests/DeployMetricsTests.swift → <root>/deploy
        TestPackage.root.appendingPathComponent("deploy")
    }

    /// The PromQL expressions of every rule in deploy/prometheus/alerts.yml.
    static func alertExpressions() throws -> [String] {
        let text = try String(contentsOf: deployDirectory.appendingPathComponent("prometheus/alerts.yml"), encoding: .utf8)
        let root = try #require(try Yams.load(yaml: text) as? [String: Any])
        let groups = try #require(root["groups"] as? [[String: Any]])
        var expressions: [String] = []
        for group in groups {
            let rules = try #require(group["rules"] as? [[String: Any]], "group \(group["name"] ?? "?") has no rules")
            for rule in rules {
                #expect(rule["alert"] is String, "every rule is an alert: \(rule)")
                expressions.append(try #require(rule["expr"] as? String, "rule \(rule["alert"] ?? "?") has no expr"))
            }
        }
        return expressions
    }

    /// The queries of every panel (rows included) and template variable of the dashboard.
    static func dashboardExpressions() throws -> [String] {
        let data = try Data(contentsOf: deployDirectory.appendingPathComponent("grafana/ozhivlyator.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(root["uid"] is String && root["title"] is String && root["panels"] is [Any])
        var expressions: [String] = []
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                for (key, child) in object {
                    if key == "expr" || key == "query", let text = child as? String { expressions.append(text) } else { walk(child) }
                }
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(root)
        return expressions
    }

    /// The `ozh_` names in `expressions`.
    static func metricNames(_ expressions: [String]) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: "ozh_[a-z_]+")
        var names = Set<String>()
        for text in expressions {
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                names.insert(String(text[Range(match.range, in: text)!]))
            }
        }
        return names
    }

    /// The family a used name refers to: `x_bucket`, `x_sum` and `x_count` of a histogram `x` are `x`.
    static func family(of name: String, types: [String: String]) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" { return base }
        }
        return name
    }

    @Test func everyMetricTheAlertsAndTheDashboardUseIsExported() async throws {
        let alertNames = Self.metricNames(try Self.alertExpressions())
        let dashboardNames = Self.metricNames(try Self.dashboardExpressions())
        #expect(alertNames.count >= 8, "\(alertNames)")
        #expect(dashboardNames.count >= 12, "\(dashboardNames)")
        let mustUse = ["ozh_queue_jobs", "ozh_gemini_quota_remaining", "ozh_gemini_keys_disabled", "ozh_payments_pending_oldest_age_seconds"]
        for required in mustUse {
            #expect(alertNames.contains(required), "the alerts use \(required)")
        }

        try await MetricsStack.run { stack in
            var types: [String: String] = [:]
            let scrapes = [
                try await stack.client.scrapeMetrics(), try await scrapeWorker(stack.generationPort),
                try await scrapeWorker(stack.paymentPort),
            ]
            for scrape in scrapes { types.merge(scrape.types) { first, _ in first } }
            let sampled = scrapes.reduce(into: Set<String>()) { $0.formUnion($1.names) }
            for (file, names) in [("deploy/prometheus/alerts.yml", alertNames), ("deploy/grafana/ozhivlyator.json", dashboardNames)] {
                for name in names.sorted() {
                    let family = Self.family(of: name, types: types)
                    #expect(
                        types[family] != nil && (sampled.contains(name) || sampled.contains(family)),
                        "\(file) uses \(name), which no service exports")
                }
            }
            // Histograms are used through their buckets, counters through their _total names.
            #expect(types["ozh_http_request_duration_seconds"] == "histogram")
            #expect(types["ozh_job_duration_seconds"] == "histogram")
            #expect(types["ozh_jobs_total"] == "counter")
        }
    }
}
