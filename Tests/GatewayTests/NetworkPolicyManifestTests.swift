import Foundation
import Testing

/// The shipped manifests let only the ingress controller reach the gateway, and believe
/// `X-Forwarded-For` from a narrow range only.
@Suite("Kubernetes: only the ingress reaches the gateway")
struct NetworkPolicyManifestTests {
    @Test func aNetworkPolicyAdmitsOnlyTheIngressAndPrometheusToTheGateway() throws {
        let objects = try DeploymentFiles.k8sObjects()
        let gateway = try #require(objects.first { $0.kind == "Deployment" && $0.name == "ozh-gateway" })
        let podLabels = gateway.body["spec", "template", "metadata", "labels"]
        let policies = objects.filter { $0.kind == "NetworkPolicy" }
        let policy = try #require(
            policies.first { policy in
                let selector = policy.body["spec", "podSelector", "matchLabels"].mapping
                return !selector.isEmpty && selector.allSatisfy { podLabels[$0.key].string == $0.value.string }
            }, "no NetworkPolicy selects the gateway's pods")
        #expect(policy.body["spec", "policyTypes"].array.compactMap(\.string).contains("Ingress"))
        let rules = policy.body["spec", "ingress"].array
        #expect(rules.count == 2)
        let peers = rules.flatMap { $0["from"].array }
        #expect(!peers.isEmpty)
        for peer in peers {
            // Every peer names a namespace and pods in it: never "any pod" nor an IP block.
            #expect(!peer["namespaceSelector", "matchLabels"].mapping.isEmpty, "\(peer.keys)")
            #expect(!peer["podSelector", "matchLabels"].mapping.isEmpty, "\(peer.keys)")
            #expect(peer["ipBlock"].value == nil)
        }
        #expect(peers.contains { $0["podSelector", "matchLabels", "app.kubernetes.io/name"].string == "ingress-nginx" })
        // The ingress reaches the API port only; Prometheus the metrics port only (issue 13).
        for rule in rules {
            let fromIngress = rule["from"].array.contains { $0["podSelector", "matchLabels", "app.kubernetes.io/name"].string == "ingress-nginx" }
            #expect(rule["ports"].array.map { $0["port"].scalarText } == [fromIngress ? "http" : "metrics"])
        }
    }

    @Test func trustedProxiesIsANarrowRange() throws {
        let settings = try #require(try DeploymentFiles.k8sObjects().first { $0.kind == "ConfigMap" && $0.name == "ozh-settings" })
        let proxies = try #require(settings.body["data", "TRUSTED_PROXIES"].string)
        for range in proxies.split(separator: ",") {
            let prefix = range.split(separator: "/").last.flatMap { Int($0) } ?? 32
            #expect(prefix >= 24, "TRUSTED_PROXIES \(range) is wider than a /24: any pod in it could forge a webhook sender")
        }
    }
}
