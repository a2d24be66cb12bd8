import Hummingbird
import NIOCore

/// `GET /openapi.yaml`: the gateway's OpenAPI description, open like `/health`.
///
/// The file (`Sources/APIGateway/Resources/openapi.yaml`, linked from the repository root) is
/// compiled into the binary (SwiftPM's `embedInCode`), so the gateway serves the same document
/// from a build tree, an install or a container image, whatever its working directory.
struct OpenAPIRoutes: Sendable {
    /// The document's bytes, as built into this binary.
    static let document = ByteBuffer(bytes: PackageResources.openapi_yaml)

    func register(on router: Router<GatewayContext>) {
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: Self.document))
        }
    }
}
