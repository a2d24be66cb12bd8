import Foundation
import Testing

/// The image builds every executable the compose file and the manifests run, and each of them
/// is a product of the package.
@Suite("Dockerfile")
struct DockerfileTests {
    static func text(_ path: String) throws -> String {
        try String(contentsOf: DeploymentFiles.root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The names in `ARG PRODUCTS="..."`.
    static func imageProducts() throws -> Set<String> {
        let line = try #require(try text("Dockerfile").split(separator: "\n").first { $0.hasPrefix("ARG PRODUCTS=") })
        return Set(
            line.dropFirst("ARG PRODUCTS=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")).split(separator: " ").map(String.init))
    }

    @Test func imageHoldsEveryExecutableTheDeploymentsRun() throws {
        let products = try Self.imageProducts()
        let package = try Self.text("Package.swift")
        for product in products.sorted() {
            #expect(package.contains(".executable(name: \"\(product)\""), "\(product) is not a product of Package.swift")
        }
        let compose = try DeploymentFiles.compose()
        // The services built from ./Dockerfile (MongoDB and Redis use their own images).
        let composeCommands = compose["services"].mapping.filter { $0.value["build"].value != nil }
            .compactMap { $0.value["command"][0].string }
        let k8sCommands = try DeploymentFiles.k8sObjects().filter { $0.kind == "Deployment" }
            .flatMap { $0.body["spec", "template", "spec", "containers"].array.compactMap { $0["command"][0].string } }
        #expect(composeCommands.count == 4 && k8sCommands.count == 3)
        for command in composeCommands + k8sCommands {
            #expect(products.contains(command), "\(command) runs in a deployment but the image does not build it")
        }
        #expect(products.contains("ozh-admin"), "operators need ozh-admin in the image")
        // The default command is the gateway, and the runtime stage does not run as root.
        let dockerfile = try Self.text("Dockerfile")
        #expect(dockerfile.contains("CMD [\"ozh-gateway\"]"))
        let runtime = try #require(dockerfile.components(separatedBy: "FROM ${RUNTIME_IMAGE}").last)
        #expect(runtime.contains("\nUSER ") && !runtime.contains("\nUSER root"))
    }

    /// The image builds with `deploy/link/flags.sh`: the file reaches the build context
    /// (`.dockerignore` drops `deploy/` but keeps `deploy/link`), and each worker links with its
    /// order file, which names the Swift functions it runs while idle.
    @Test func releaseFlagsAndOrderFilesReachTheImageBuild() async throws {
        let dockerfile = try Self.text("Dockerfile")
        #expect(dockerfile.contains(". deploy/link/flags.sh;") && dockerfile.contains("$RELEASE_FLAGS $(release_order_flags \"$product\")"))
        let ignored = try Self.text(".dockerignore").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let dropsDeploy = try #require(ignored.firstIndex(of: "deploy"), ".dockerignore no longer drops deploy/")
        let keepsLink = try #require(ignored.firstIndex(of: "!deploy/link"), "the build context lacks deploy/link")
        #expect(keepsLink > dropsDeploy, "a later line must re-include deploy/link")
        for worker in ["ozh-generation-worker", "ozh-payment-worker"] {
            let (status, output) = try await runTool(
                "/bin/sh", ["-c", ". deploy/link/flags.sh && echo \"$RELEASE_FLAGS\" && release_order_flags \(worker)"])
            #expect(status == 0, "\(output)")
            let order = DeploymentFiles.root.appendingPathComponent("deploy/link/\(worker).order")
            let layout = DeploymentFiles.root.appendingPathComponent("deploy/link/text-layout.ld")
            #expect(output.contains("--static-swift-stdlib") && output.contains("-function-sections"))
            #expect(output.contains("-Xlinker -T -Xlinker \(layout.path)") && FileManager.default.fileExists(atPath: layout.path))
            #expect(output.contains("-Xlinker --symbol-ordering-file=\(order.path) "), "\(output)")
            // The per-worker script places, by section, the shared names the order file leaves out.
            let script = DeploymentFiles.root.appendingPathComponent("deploy/link/\(worker).ld")
            if FileManager.default.fileExists(atPath: script.path) {
                #expect(output.contains("-Xlinker -T -Xlinker \(script.path)"), "\(output)")
                #expect(try String(contentsOf: script, encoding: .utf8).contains("INSERT BEFORE .text;"))
            }
            let symbols = try String(contentsOf: order, encoding: .utf8).split(separator: "\n")
            #expect(symbols.count > 1000, "\(worker).order lists \(symbols.count) functions")
            #expect(Set(symbols).count == symbols.count && symbols.allSatisfy { !$0.contains(" ") })
            // Both the Swift runtime (statically linked) and Swift code are among them.
            #expect(symbols.contains("swift_retain") && symbols.contains { $0.hasPrefix("$s") })
        }
        let (_, none) = try await runTool("/bin/sh", ["-c", ". deploy/link/flags.sh && release_order_flags ozh-no-such-executable"])
        #expect(none.isEmpty, "an executable without an order file links as before")
    }
}
