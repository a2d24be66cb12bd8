import Foundation
import TestSupport
import Testing
import Yams

@testable import OzhSettings
@testable import Sandbox

/// The `sandbox` service of `docker-compose.yml` sets only `SANDBOX_*` variables the sandbox
/// reads, with values it accepts, on the port it publishes.
@Suite("Sandbox in docker-compose.yml")
struct SandboxComposeTests {
    static let root = TestPackage.root

    /// `${NAME:-default}` and `${NAME}` as Compose reads them, with `variables` as the env file.
    static func interpolate(_ text: String, _ variables: [String: String]) -> String {
        var output = "", rest = Substring(text)
        while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
            output += rest[..<start.lowerBound]
            let body = rest[start.upperBound..<end]
            rest = rest[rest.index(after: end)...]
            let parts = body.split(separator: ":-", maxSplits: 1, omittingEmptySubsequences: false)
            let value = variables[String(parts[0])] ?? ""
            output += value.isEmpty && parts.count == 2 ? String(parts[1]) : value
        }
        return output + rest
    }

    @Test func composeSandboxSettingsAreOnesTheSandboxReads() throws {
        let compose = try Yams.load(yaml: try String(contentsOf: Self.root.appendingPathComponent("docker-compose.yml"), encoding: .utf8))
        let service = try #require(((compose as? [String: Any])?["services"] as? [String: Any])?["sandbox"] as? [String: Any])
        let raw = try #require(service["environment"] as? [String: Any])
        #expect(!raw.isEmpty)
        let envText = try String(contentsOf: Self.root.appendingPathComponent("deploy/compose/sandbox.env"), encoding: .utf8)
        var variables: [String: String] = [:]
        for line in envText.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { variables[String(parts[0])] = String(parts[1]) }
        }
        let environment = raw.mapValues { Self.interpolate("\($0)", variables) }

        let recorder = SettingsRecorder()
        let configuration = try SandboxConfiguration(environment: environment, recorder: recorder)
        for name in raw.keys.sorted() {
            #expect(recorder.recorded.contains(name), "sandbox: \(name) is not a setting the sandbox reads")
        }
        #expect(recorder.recorded.contains("SANDBOX_PORT") && recorder.recorded.contains("SANDBOX_GEMINI_KEYS"))
        // It listens where Compose publishes it, and knows the demo's keys and shop.
        let ports = (service["ports"] as? [Any])?.map { "\($0)" } ?? []
        #expect(ports.contains { $0.hasSuffix(":\(configuration.port)") }, "published \(ports), listening on \(configuration.port)")
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.gemini.keys?.isEmpty == false)
        #expect(configuration.yookassa.shopId == variables["YOOKASSA_SHOP_ID"])
        #expect(configuration.yookassa.publicURL?.hasPrefix("http://localhost:") == true)
    }
}
