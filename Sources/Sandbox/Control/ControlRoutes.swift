import Foundation
import Hummingbird

/// The sandbox's own endpoints under `/_sandbox` (no key needed): faults, statistics,
/// reset and health.
struct ControlRoutes: Sendable {
    let gemini: GeminiState
    let yookassa: YooKassaState

    func register(on router: Router<SandboxContext>) {
        let control = router.group("_sandbox")
        control.get("health") { _, _ in SandboxJSON.response(.object([("status", .string("ok"))])) }
        control.post("reset") { _, _ in
            await gemini.reset()
            await yookassa.reset()
            return SandboxJSON.response(.object([("reset", .bool(true))]))
        }
        control.get("gemini/stats") { _, _ in SandboxJSON.response(await gemini.statsJSON) }
        control.get("gemini/faults") { _, _ in SandboxJSON.response(await gemini.faultsJSON) }
        control.delete("gemini/faults") { _, _ in SandboxJSON.response(await gemini.resetFaults()) }
        control.post("gemini/faults") { request, _ in
            var request = request
            guard let buffer = try? await request.collectBody(upTo: 1 << 20) else {
                return GeminiError.invalidArgument("the faults body is larger than 1 MiB").response
            }
            do {
                return SandboxJSON.response(try await gemini.updateFaults(Data(buffer.readableBytesView)))
            } catch let error as FaultsError {
                return GeminiError.invalidArgument(error.message).response
            }
        }
    }
}
