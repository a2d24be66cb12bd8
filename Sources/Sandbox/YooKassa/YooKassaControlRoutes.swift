import Foundation
import Hummingbird
import OzhDomain
import OzhSupport

/// The YooKassa emulator's own endpoints under `/_sandbox/yookassa` (no auth): pay or
/// cancel as the payer would, faults, webhook URL, statistics, payments, delivery log.
struct YooKassaControlRoutes: Sendable {
    let state: YooKassaState

    func register(on router: Router<SandboxContext>) {
        let control = router.group("_sandbox/yookassa")
        control.post("payments/{id}/succeed") { _, context in
            Self.answer(await state.succeed(context.parameters.get("id") ?? ""))
        }
        control.post("payments/{id}/cancel") { request, context in
            let body = await Self.body(request)
            let object = body.flatMap(YooKassaJSON.object) ?? [:]
            return Self.answer(
                await state.cancel(
                    context.parameters.get("id") ?? "", party: object["party"] as? String, reason: object["reason"] as? String
                ))
        }
        control.get("payments") { _, _ in SandboxJSON.response(await state.paymentsJSON) }
        control.get("stats") { _, _ in SandboxJSON.response(await state.statsJSON) }
        control.get("webhooks") { _, _ in SandboxJSON.response(.object([("items", state.webhooks.logJSON)])) }
        control.get("faults") { _, _ in SandboxJSON.response(await state.faults.json) }
        control.delete("faults") { _, _ in SandboxJSON.response(await state.resetFaults()) }
        control.post("faults") { request, _ in
            await Self.update(request) { body async throws(FaultsError) in try await state.updateFaults(body) }
        }
        control.get("config") { _, _ in SandboxJSON.response(await state.configJSON) }
        control.post("config") { request, _ in
            await Self.update(request) { body async throws(FaultsError) in try await state.updateConfig(body) }
        }
        control.post("reset") { _, _ in
            await state.reset()
            return SandboxJSON.response(.object([("reset", .bool(true))]))
        }
    }

    private static func answer(_ result: Result<YooKassaPayment, YooKassaError>) -> Response {
        switch result {
        case .success(let payment): SandboxJSON.response(payment.json)
        case .failure(let error): error.response
        }
    }

    private static func body(_ request: Request) async -> Data? {
        var request = request
        return (try? await request.collectBody(upTo: 1 << 20)).map { Data($0.readableBytesView) }
    }

    private static func update(_ request: Request, _ apply: (Data) async throws(FaultsError) -> JSONValue) async -> Response {
        guard let body = await body(request) else { return YooKassaError.invalidRequest("The body is larger than 1 MiB").response }
        do {
            return SandboxJSON.response(try await apply(body))
        } catch {
            return YooKassaError.invalidRequest(error.message).response
        }
    }
}
