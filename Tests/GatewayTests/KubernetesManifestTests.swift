import Foundation
import TestSupport
import Testing
import Yams

@testable import OzhDomain
@testable import OzhQueue
@testable import OzhRedis
@testable import OzhSettings

/// `deploy/k8s/`: valid against the Kubernetes schemas, KEDA objects that point at the real
/// queue, and settings that are exactly ones the services read.
@Suite("Kubernetes manifests")
struct KubernetesManifestTests {
    /// The oldest Kubernetes release the manifests must still fit, besides the newest one.
    static let oldestKubernetes = "1.27.0"
    /// The longest `?wait=` the gateway accepts (JobsRoutes.waitDuration): a long poll a
    /// stopping gateway lets finish.
    static let longestWait = Duration.seconds(60)

    /// A Deployment's container with its environment resolved from the ConfigMap and Secret.
    struct Container {
        let deployment: K8sObject
        let spec: YAMLPath
        let executable: String
        var environment: [String: String] = [:]
        var problems: [String] = []
    }

    static func containers(_ objects: [K8sObject]) -> [Container] {
        let configMaps = Dictionary(objects.filter { $0.kind == "ConfigMap" }.map { ($0.name, $0) }) { first, _ in first }
        let secrets = Dictionary(objects.filter { $0.kind == "Secret" }.map { ($0.name, $0) }) { first, _ in first }
        return objects.filter { $0.kind == "Deployment" }.flatMap { deployment in
            deployment.body["spec", "template", "spec", "containers"].array.map { spec in
                var container = Container(
                    deployment: deployment, spec: spec,
                    executable: spec["command"][0].string ?? spec["args"][0].string ?? "ozh-gateway")
                for source in spec["envFrom"].array {
                    if let name = source["configMapRef", "name"].string {
                        guard let map = configMaps[name] else { container.problems.append("no ConfigMap \(name)"); continue }
                        container.environment.merge(configMapData(map)) { $1 }
                    }
                    if let name = source["secretRef", "name"].string {
                        guard let secret = secrets[name] else { container.problems.append("no Secret \(name)"); continue }
                        container.environment.merge(secretData(secret)) { $1 }
                    }
                }
                for variable in spec["env"].array {
                    guard let name = variable["name"].string else { container.problems.append("an env entry without a name"); continue }
                    if let value = variable["value"].scalarText {
                        container.environment[name] = value
                    } else if let secretName = variable["valueFrom", "secretKeyRef", "name"].string {
                        let key = variable["valueFrom", "secretKeyRef", "key"].string ?? ""
                        guard let value = secrets[secretName].flatMap({ secretData($0)[key] }) else {
                            container.problems.append("\(name): Secret \(secretName) has no key \(key)")
                            continue
                        }
                        container.environment[name] = value
                    } else if let mapName = variable["valueFrom", "configMapKeyRef", "name"].string {
                        let key = variable["valueFrom", "configMapKeyRef", "key"].string ?? ""
                        guard let value = configMaps[mapName].flatMap({ configMapData($0)[key] }) else {
                            container.problems.append("\(name): ConfigMap \(mapName) has no key \(key)")
                            continue
                        }
                        container.environment[name] = value
                    } else {
                        container.problems.append("\(name): neither a value nor a Secret or ConfigMap key")
                    }
                }
                return container
            }
        }
    }

    static func configMapData(_ map: K8sObject) -> [String: String] {
        Dictionary(uniqueKeysWithValues: map.body["data"].mapping.compactMap { key, value in value.string.map { (key, $0) } })
    }

    static func secretData(_ secret: K8sObject) -> [String: String] {
        var values: [String: String] = [:]
        for (key, value) in secret.body["data"].mapping {
            if let text = value.string, let data = Data(base64Encoded: text) { values[key] = String(decoding: data, as: UTF8.self) }
        }
        for (key, value) in secret.body["stringData"].mapping { values[key] = value.scalarText }
        return values
    }

    /// Secret keys that KEDA's TriggerAuthentications read (not the services).
    static func kedaSecretKeys(_ objects: [K8sObject]) -> Set<String> {
        Set(
            objects.filter { $0.kind == "TriggerAuthentication" }.flatMap { $0.body["spec", "secretTargetRef"].array }
                .compactMap { $0["key"].string })
    }

    @Test(
        "kubernetes-validate --strict accepts every manifest (newest and oldest supported Kubernetes)",
        .needsVenv(for: "kubernetes-validate"))
    func schemasAccept() async throws {
        let tool = "\(try #require(TestServers.venv))/bin/kubernetes-validate"
        let files = try DeploymentFiles.kustomizationResources().map { "deploy/k8s/\($0)" }
        let objects = try DeploymentFiles.k8sObjects()
        let builtIn = objects.filter { !$0.apiVersion.hasPrefix("keda.sh/") }
        for version in [nil, Self.oldestKubernetes] {
            let (status, output) = try await runTool(tool, ["--strict"] + (version.map { ["-k", $0] } ?? []) + files)
            #expect(status == 0, "kubernetes-validate \(version ?? "(newest)"):\n\(output)")
            let lines = output.split(separator: "\n")
            // A kind without a schema is only a warning: only KEDA's may be unknown (a typo in a
            // built-in apiVersion would otherwise pass unchecked).
            let warnings = lines.filter { $0.hasPrefix("WARN") }
            #expect(warnings.allSatisfy { $0.contains("api version keda.sh/v1alpha1") }, "\(warnings)")
            #expect(lines.filter { $0.hasPrefix("INFO") && $0.contains(" passed ") }.count == builtIn.count, "\(output)")
        }
    }

    @Test(
        "KEDA's HPA behaviour is a valid autoscaling/v2 behaviour",
        .needsVenv(for: "kubernetes-validate"))
    func kedaBehaviourIsValid() async throws {
        let tool = "\(try #require(TestServers.venv))/bin/kubernetes-validate"
        let scaled = try #require(try DeploymentFiles.k8sObjects().first { $0.kind == "ScaledObject" })
        let behavior = try #require(scaled.body["spec", "advanced", "horizontalPodAutoscalerConfig", "behavior"].value)
        // KEDA hands this block to the HPA it creates: check it with the HPA's own schema.
        let hpa: [String: Any] = [
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": ["name": "keda-behavior"],
            "spec": [
                "scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": scaled.name],
                "maxReplicas": 2, "behavior": behavior,
            ] as [String: Any],
        ]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("keda-hpa-\(UUID().uuidString).yaml")
        try Yams.dump(object: hpa).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = try await runTool(tool, ["--strict", file.path])
        #expect(status == 0, "\(output)")
        #expect(output.contains("passed"), "\(output)")
    }

    @Test func kustomizationListsEveryManifest() throws {
        let listed = Set(try DeploymentFiles.kustomizationResources())
        let present = Set(
            try FileManager.default.contentsOfDirectory(atPath: DeploymentFiles.k8sDirectory.path)
                .filter { $0.hasSuffix(".yaml") && $0 != "kustomization.yaml" })
        #expect(listed == present)
        let kinds = Set(try DeploymentFiles.k8sObjects().map { "\($0.kind)/\($0.name)" })
        for expected in [
            "Deployment/ozh-gateway", "Deployment/ozh-generation-worker", "Deployment/ozh-payment-worker",
            "Service/ozh-gateway", "ConfigMap/ozh-settings", "Secret/ozh-secrets",
            "ScaledObject/ozh-generation-worker", "TriggerAuthentication/ozh-redis",
        ] {
            #expect(kinds.contains(expected), "missing \(expected)")
        }
    }

    @Test("the KEDA ScaledObject scales the generation workers on the generation queue's ready list")
    func kedaScalesOnTheGenerationQueue() throws {
        let objects = try DeploymentFiles.k8sObjects()
        let scaledObjects = objects.filter { $0.kind == "ScaledObject" }
        try #require(scaledObjects.count == 1)
        let scaled = scaledObjects[0], spec = scaled.body["spec"]
        #expect(scaled.apiVersion == "keda.sh/v1alpha1")
        let known: Set = [
            "scaleTargetRef", "pollingInterval", "cooldownPeriod", "initialCooldownPeriod", "idleReplicaCount",
            "minReplicaCount", "maxReplicaCount", "fallback", "advanced", "triggers",
        ]
        #expect(spec.keys.isSubset(of: known), "unknown ScaledObject fields: \(spec.keys.subtracting(known))")
        #expect(spec["scaleTargetRef"].keys.isSubset(of: ["apiVersion", "kind", "name", "envSourceContainerName"]))

        // It targets the Deployment that runs ozh-generation-worker.
        let target = try #require(spec["scaleTargetRef", "name"].string)
        let deployment = try #require(objects.first { $0.kind == "Deployment" && $0.name == target }, "no Deployment \(target)")
        #expect(deployment.body["spec", "template", "spec", "containers"][0]["command"][0].string == "ozh-generation-worker")
        #expect((spec["scaleTargetRef", "kind"].string ?? "Deployment") == "Deployment")

        let minimum = spec["minReplicaCount"].int ?? 0, maximum = try #require(spec["maxReplicaCount"].int)
        #expect(minimum >= 0 && minimum <= maximum && maximum >= 2)
        for field in ["pollingInterval", "cooldownPeriod"] {
            #expect((spec[field].int ?? 1) > 0, "\(field) must be a positive number of seconds")
        }

        // One redis trigger on `<REDIS_PREFIX>queue:generation`, the list the gateway LPUSHes to.
        let triggers = spec["triggers"].array
        try #require(triggers.count == 1)
        let trigger = triggers[0]
        #expect(trigger["type"].string == "redis")
        let metadata = trigger["metadata"]
        let redisKeys: Set = [
            "address", "addressFromEnv", "host", "hostFromEnv", "port", "portFromEnv", "usernameFromEnv",
            "passwordFromEnv", "listName", "listLength", "activationListLength", "databaseIndex",
            "enableTLS", "unsafeSsl",
        ]
        #expect(metadata.keys.isSubset(of: redisKeys), "unknown redis scaler fields: \(metadata.keys.subtracting(redisKeys))")
        // KEDA's trigger metadata is a map of strings: an unquoted number is rejected by the CRD.
        for (key, value) in metadata.mapping { #expect(value.string != nil, "metadata.\(key) must be a quoted string") }
        let worker = try #require(Self.containers(objects).first { $0.executable == "ozh-generation-worker" })
        let settings = try Settings(source: SettingsSource(values: worker.environment))
        let readyList = JobQueueKeys(prefix: settings.redis.prefix, queue: QueueNames.generation).ready
        #expect(metadata["listName"].string == readyList)
        #expect(Int(metadata["listLength"].string ?? "") ?? 0 > 0)
        #expect(Int(metadata["activationListLength"].string ?? "0") ?? -1 >= 0)

        // The database KEDA watches is the one REDIS_URL names.
        let redis = try RedisConfiguration(url: settings.redis.url)
        #expect(Int(metadata["databaseIndex"].string ?? "0") == redis.database)

        // Where KEDA connects and with which password comes from the TriggerAuthentication,
        // whose keys must exist in the Secret and match REDIS_URL.
        let authName = try #require(trigger["authenticationRef", "name"].string)
        let auth = try #require(objects.first { $0.kind == "TriggerAuthentication" && $0.name == authName })
        #expect(auth.apiVersion == "keda.sh/v1alpha1")
        var parameters: [String: String] = [:]
        for reference in auth.body["spec", "secretTargetRef"].array {
            let parameter = try #require(reference["parameter"].string)
            #expect(["address", "host", "port", "username", "password", "tls", "ca", "cert", "key", "keyPassword"].contains(parameter))
            let secret = try #require(
                objects.first { $0.kind == "Secret" && $0.name == reference["name"].string },
                "TriggerAuthentication names Secret \(reference["name"].string ?? "?")")
            let key = try #require(reference["key"].string)
            parameters[parameter] = try #require(Self.secretData(secret)[key], "Secret \(secret.name) has no key \(key)")
        }
        #expect(
            parameters["address"] != nil || metadata["address"].string != nil || metadata["host"].string != nil,
            "KEDA needs the Redis address")
        if let address = parameters["address"] ?? metadata["address"].string {
            #expect(address.hasSuffix(":\(redis.port)"), "KEDA's Redis address \(address) and REDIS_URL's port \(redis.port) differ")
        }
        #expect(parameters["password"] == redis.password, "KEDA's Redis password and REDIS_URL's differ")
    }

    @Test("every setting the manifests name is one the services read, and none is left over")
    func settingsAreOnesTheServicesRead() throws {
        let objects = try DeploymentFiles.k8sObjects()
        let containers = Self.containers(objects)
        let read = try settingsTheServicesRead(containers.map(\.environment))
        #expect(read.contains("MONGO_URI") && read.contains("METRICS_PORT") && read.contains("GEMINI_API_KEYS_STR"))
        let kedaOnly = Self.kedaSecretKeys(objects)
        for map in objects where map.kind == "ConfigMap" {
            for key in Self.configMapData(map).keys.sorted() {
                #expect(read.contains(key), "\(map.label): \(key) is not a setting the services read")
            }
        }
        for secret in objects where secret.kind == "Secret" {
            for key in Self.secretData(secret).keys.sorted() where !kedaOnly.contains(key) {
                #expect(read.contains(key), "\(secret.label): \(key) is not a setting the services read")
            }
        }
        for container in containers {
            #expect(container.problems.isEmpty, "\(container.deployment.label): \(container.problems)")
            for variable in container.spec["env"].array.compactMap({ $0["name"].string }) {
                #expect(read.contains(variable), "\(container.deployment.label): env \(variable) is not a setting the services read")
            }
        }
        // A Secret key nobody uses is a placeholder someone will fill in for nothing.
        let used = Set(containers.flatMap { $0.spec["env"].array.compactMap { $0["valueFrom", "secretKeyRef", "key"].string } })
            .union(kedaOnly)
        for secret in objects where secret.kind == "Secret" {
            for key in Self.secretData(secret).keys.sorted() { #expect(used.contains(key), "\(secret.label): \(key) is used by nothing") }
        }
    }

    @Test("each Deployment's settings pass the checks its executable makes at start-up")
    func everyDeploymentStartsWithItsSettings() throws {
        let containers = Self.containers(try DeploymentFiles.k8sObjects())
        #expect(Set(containers.map(\.executable)) == ["ozh-gateway", "ozh-generation-worker", "ozh-payment-worker"])
        for container in containers {
            #expect(
                settingsProblem(of: container.executable, with: container.environment) == nil,
                "\(container.deployment.label)")
        }
        // And a missing Secret value is noticed: without it, each fails to start.
        for (executable, variable) in [
            ("ozh-gateway", "API_KEY"), ("ozh-gateway", "GEMINI_PROJECTS"), ("ozh-generation-worker", "GEMINI_API_KEYS_STR"),
            ("ozh-payment-worker", "YOOKASSA_SECRET_KEY"), ("ozh-payment-worker", "TELEGRAM_BOT_USERNAME"),
        ] {
            let container = try #require(containers.first { $0.executable == executable })
            var environment = container.environment
            environment[variable] = nil
            #expect(settingsProblem(of: executable, with: environment)?.contains(variable) == true)
        }
    }

    @Test("probes hit the ports the services listen on; pods drain before they are killed")
    func probesAndDrainMatchTheServices() throws {
        let objects = try DeploymentFiles.k8sObjects()
        let shutdownDeadline = WorkerRuntime.Configuration(queue: QueueNames.generation).shutdownDeadline
        let images = Set(Self.containers(objects).compactMap { $0.spec["image"].string })
        #expect(images.count == 1, "one image for every service: \(images)")
        for container in Self.containers(objects) {
            let label = container.deployment.label, spec = container.spec
            let podSpec = container.deployment.body["spec", "template", "spec"]
            let settings = try Settings(source: SettingsSource(values: container.environment))
            let isGateway = container.executable == "ozh-gateway"
            let port = isGateway ? settings.gateway.port : settings.metrics.port
            #expect(port > 0, "\(label): the probed port is off")
            func resolve(_ value: YAMLPath) -> Int? {
                if let number = value.int { return number }
                return spec["ports"].array.first { $0["name"].string == value.string }?["containerPort"].int
            }
            #expect(spec["readinessProbe", "httpGet", "path"].string == "/ready", "\(label)")
            #expect(spec["livenessProbe", "httpGet", "path"].string == "/health", "\(label)")
            #expect(resolve(spec["readinessProbe", "httpGet", "port"]) == port, "\(label): readiness port")
            #expect(resolve(spec["livenessProbe", "httpGet", "port"]) == port, "\(label): liveness port")

            let grace = Duration.seconds(podSpec["terminationGracePeriodSeconds"].int ?? 30)
            if isGateway {
                #expect(grace >= Self.longestWait + .seconds(5), "\(label): grace \(grace) cuts long polls")
            } else {
                #expect(grace >= shutdownDeadline + .seconds(10), "\(label): grace \(grace) < drain \(shutdownDeadline) + 10 s")
            }
            // Every process, the gateway too, is scraped on its metrics port (the gateway's public port has no /metrics).
            let annotations = container.deployment.body["spec", "template", "metadata", "annotations"]
            #expect(settings.metrics.port > 0 && settings.metrics.port != settings.gateway.port || !isGateway, "\(label): metrics on the public port")
            #expect(annotations["prometheus.io/scrape"].string == "true", "\(label)")
            #expect(annotations["prometheus.io/port"].string == String(settings.metrics.port), "\(label)")
            #expect(annotations["prometheus.io/path"].string == "/metrics", "\(label)")
            #expect(resolve(.init("metrics")) == settings.metrics.port, "\(label): the metrics port is declared")

            for resource in ["cpu", "memory"] {
                #expect(spec["resources", "requests", resource].scalarText != nil, "\(label): requests.\(resource)")
                #expect(spec["resources", "limits", resource].scalarText != nil, "\(label): limits.\(resource)")
            }
            #expect(
                podSpec["securityContext", "runAsNonRoot"].bool == true || spec["securityContext", "runAsNonRoot"].bool == true,
                "\(label): must run as non-root")
            #expect(spec["securityContext", "allowPrivilegeEscalation"].bool == false, "\(label)")
            #expect(spec["securityContext", "readOnlyRootFilesystem"].bool == true, "\(label)")
            #expect(spec["volumeMounts"].array.contains { $0["mountPath"].string == "/tmp" }, "\(label): a read-only root needs a writable /tmp")
        }

        // The Service reaches the gateway's HTTP port.
        let service = try #require(objects.first { $0.kind == "Service" && $0.name == "ozh-gateway" })
        let gateway = try #require(objects.first { $0.kind == "Deployment" && $0.name == "ozh-gateway" })
        let podLabels = gateway.body["spec", "template", "metadata", "labels"]
        for (key, value) in service.body["spec", "selector"].mapping { #expect(podLabels[key].string == value.string) }
        let target = service.body["spec", "ports"][0]["targetPort"]
        let ports = gateway.body["spec", "template", "spec", "containers"][0]["ports"].array
        #expect(
            ports.contains {
                ($0["name"].string != nil && $0["name"].string == target.string)
                    || ($0["containerPort"].int != nil && $0["containerPort"].int == target.int)
            })
    }
}
