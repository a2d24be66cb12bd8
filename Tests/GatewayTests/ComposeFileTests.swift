import Foundation
import OzhDomain
import OzhQueue
import OzhSettings
import TestSupport
import Testing

/// `docker-compose.yml` with its two env files: valid, scalable, persistent, and every service
/// gets exactly settings it reads and all it needs.
@Suite("Docker Compose file")
struct ComposeFileTests {
    /// The env files a user passes: the sandbox demo and the production example.
    static let envFiles = ["sandbox.env", "production.env.example"]
    static let services = [
        "gateway": "ozh-gateway", "generation-worker": "ozh-generation-worker",
        "payment-worker": "ozh-payment-worker",
    ]

    /// Whether this machine's docker CLI has the compose plugin (no engine is needed for `config`).
    static func dockerComposeAvailable() async -> Bool {
        guard let docker = Executables.which("docker") else { return false }
        return (try? await runTool(docker, ["compose", "version"], within: .seconds(30)))?.status == 0
    }

    @Test(
        "docker compose config -q accepts the file with each env file",
        .enabled("docker compose is not available here (no docker CLI, or a CLI without the compose plugin)") {
            await ComposeFileTests.dockerComposeAvailable()
        })
    func dockerComposeConfigAccepts() async throws {
        let docker = try #require(Executables.which("docker"))
        for envFile in Self.envFiles {
            let (status, output) = try await runTool(
                docker,
                [
                    "compose", "--env-file", "deploy/compose/\(envFile)",
                    "-f", "docker-compose.yml", "config", "-q",
                ])
            #expect(status == 0, "\(envFile): \(output)")
        }
    }

    @Test(
        "the compose-spec schema accepts the file",
        .needsVenv(for: "check-jsonschema"))
    func composeSpecAccepts() async throws {
        let tool = "\(try #require(TestServers.venv))/bin/check-jsonschema"
        let (status, output) = try await runTool(tool, ["--builtin-schema", "vendor.compose-spec", "docker-compose.yml"])
        #expect(status == 0, "\(output)")
    }

    @Test(
        "with either env file, each service's settings are read by it and pass its start-up checks",
        arguments: ComposeFileTests.envFiles)
    func everyServiceStartsWithItsSettings(_ envFile: String) throws {
        let compose = try DeploymentFiles.compose()
        let variables = try DeploymentFiles.envFile(envFile)
        var environments: [String: [String: String]] = [:]
        for (service, executable) in Self.services {
            let definition = compose["services", service]
            #expect(definition["command"][0].string == executable, "\(service)")
            let (values, missing) = DeploymentFiles.composeEnvironment(definition, variables)
            #expect(missing.isEmpty, "\(envFile) leaves required \(missing) unset for \(service)")
            #expect(settingsProblem(of: executable, with: values) == nil, "\(service) with \(envFile)")
            environments[service] = values
        }
        let read = try settingsTheServicesRead(Array(environments.values))
        for (service, values) in environments {
            for name in values.keys.sorted() { #expect(read.contains(name), "\(service): \(name) is not a setting the services read") }
        }
        // Without the env file the required secrets stop `docker compose` instead of a service.
        for (service, executable) in Self.services {
            let (values, missing) = DeploymentFiles.composeEnvironment(compose["services", service], [:])
            if settingsProblem(of: executable, with: values) != nil {
                #expect(!missing.isEmpty, "\(service) would start without its required settings")
            }
        }
    }

    @Test("workers scale with --scale, Redis keeps the queue across restarts, services drain on stop")
    func workersScaleAndRedisPersists() throws {
        let compose = try DeploymentFiles.compose()
        for worker in ["generation-worker", "payment-worker"] {
            let definition = compose["services", worker]
            #expect(definition.value != nil, "no \(worker) service")
            #expect(definition["container_name"].value == nil, "\(worker): a container_name stops --scale")
            #expect(definition["ports"].array.isEmpty, "\(worker): a host port stops --scale")
        }
        let images = Set(Self.services.keys.compactMap { compose["services", $0, "image"].string })
        #expect(images.count == 1, "one image for every service: \(images)")

        let redis = compose["services", "redis"]
        let command = redis["command"].array.compactMap(\.scalarText)
        #expect(zip(command, command.dropFirst()).contains { $0 == "--appendonly" && $1 == "yes" }, "Redis must run with AOF on")
        #expect(zip(command, command.dropFirst()).contains { $0 == "--appendfsync" && ["everysec", "always"].contains($1) })
        #expect(redis["volumes"].array.contains { $0.string?.hasSuffix(":/data") == true }, "Redis's data must be on a volume")
        #expect(compose["services", "mongo", "volumes"].array.contains { $0.string?.hasSuffix(":/data/db") == true })

        let shutdownDeadline = WorkerRuntime.Configuration(queue: QueueNames.generation).shutdownDeadline
        for worker in ["generation-worker", "payment-worker"] {
            let grace = DeploymentFiles.composeDuration(compose["services", worker, "stop_grace_period"].string ?? "10s")
            #expect((grace ?? .zero) >= shutdownDeadline + .seconds(10), "\(worker): stop_grace_period shorter than its drain")
        }
        let gatewayGrace = DeploymentFiles.composeDuration(compose["services", "gateway", "stop_grace_period"].string ?? "10s")
        #expect((gatewayGrace ?? .zero) >= KubernetesManifestTests.longestWait, "the gateway's long polls are cut")
        #expect(compose["services", "gateway", "ports"].array.contains { $0.string?.hasSuffix(":8000") == true })
    }

    @Test("the sandbox runs only with its profile, and its env file points Gemini and YooKassa at it")
    func sandboxProfilePointsServicesAtTheSandbox() throws {
        let compose = try DeploymentFiles.compose()
        for (name, service) in compose["services"].mapping {
            let profiles = service["profiles"].array.compactMap(\.string)
            #expect(name == "sandbox" ? profiles == ["sandbox"] : profiles.isEmpty, "\(name): profiles \(profiles)")
        }
        let variables = try DeploymentFiles.envFile("sandbox.env")
        #expect(variables["COMPOSE_PROFILES"]?.split(separator: ",").contains("sandbox") == true)
        let sandbox = DeploymentFiles.composeEnvironment(compose["services", "sandbox"], variables).values
        let sandboxURL = "http://sandbox:\(sandbox["SANDBOX_PORT"] ?? "8090")"
        #expect(sandbox["SANDBOX_HOST"] == "0.0.0.0", "the sandbox must listen on the compose network")
        let generation = DeploymentFiles.composeEnvironment(compose["services", "generation-worker"], variables).values
        let payment = DeploymentFiles.composeEnvironment(compose["services", "payment-worker"], variables).values
        #expect(generation["GEMINI_BASE_URL"] == sandboxURL)
        #expect(payment["YOOKASSA_BASE_URL"] == sandboxURL)
        // The sandbox accepts exactly the keys and credentials the workers send.
        #expect(sandbox["SANDBOX_GEMINI_KEYS"] == generation["GEMINI_API_KEYS_STR"])
        #expect(sandbox["SANDBOX_YOOKASSA_SHOP_ID"] == payment["YOOKASSA_SHOP_ID"])
        #expect(sandbox["SANDBOX_YOOKASSA_SECRET_KEY"] == payment["YOOKASSA_SECRET_KEY"])
        #expect(sandbox["SANDBOX_YOOKASSA_WEBHOOK_URL"] == "http://gateway:8000/webhooks/yookassa")
        // The gateway believes the sandbox's notifications: its container address is private.
        let gateway = DeploymentFiles.composeEnvironment(compose["services", "gateway"], variables).values
        let settings = try Settings(source: SettingsSource(values: gateway))
        #expect(settings.yookassa.webhookAllowedNetworks.compactMap(IPRange.init).contains { $0.contains("172.18.0.5") })
        // Without the sandbox env file the real services are used.
        let production = DeploymentFiles.composeEnvironment(
            compose["services", "generation-worker"],
            try DeploymentFiles.envFile("production.env.example")
        ).values
        #expect(production["GEMINI_BASE_URL"]?.hasPrefix("https://") == true)
    }
}
