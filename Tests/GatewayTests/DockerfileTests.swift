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
}
