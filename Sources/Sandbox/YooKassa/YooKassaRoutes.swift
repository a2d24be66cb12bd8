import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OzhDomain
import OzhSupport

/// The emulated API under `/v3`: create, read, capture and cancel payments, create and read
/// refunds, checked in
/// this order: latency, Basic auth, rate limit, Idempotence-Key, body.
struct YooKassaRoutes: Sendable {
    static let idempotenceKeyHeader = HTTPField.Name("Idempotence-Key")!
    static let maxBodyBytes = 1 << 20

    let state: YooKassaState
    let logger: Logger

    func register(on router: Router<SandboxContext>) {
        let api = router.group("v3/payments")
        api.post { request, context in
            await call(request, context, "create") { shopId, body, key in
                await state.create(key: key!, body: body, shopId: shopId, authority: request.head.authority)
            }
        }
        api.get("{id}") { request, context in
            await call(request, context, "get", needsKey: false) { _, _, _ in
                let id = context.parameters.get("id") ?? ""
                guard let payment = await state.payment(id) else { return (404, YooKassaError.notFound(id).json) }
                return (200, payment.json)
            }
        }
        api.post("{id}/capture") { request, context in await merchantAction(.capture, request, context) }
        api.post("{id}/cancel") { request, context in await merchantAction(.cancel, request, context) }
        let refunds = router.group("v3/refunds")
        refunds.post { request, context in
            await call(request, context, "refund") { _, body, key in await state.refund(key: key!, body: body) }
        }
        refunds.get("{id}") { request, context in
            await call(request, context, "get refund", needsKey: false) { _, _, _ in await state.refundAnswer(context.parameters.get("id") ?? "") }
        }
    }

    private func merchantAction(_ action: YooKassaState.MerchantAction, _ request: Request, _ context: SandboxContext) async -> Response {
        await call(request, context, action.rawValue) { _, body, key in
            await state.merchantAction(action, id: context.parameters.get("id") ?? "", key: key!, body: body)
        }
    }

    /// Runs the common checks, then `handle(shopId, body, idempotenceKey)`, and logs the answer.
    private func call(
        _ request: Request, _ context: SandboxContext, _ name: String, needsKey: Bool = true,
        handle: (String, Data, String?) async -> YooKassaState.Answer
    ) async -> Response {
        let (status, body) = await answer(request, needsKey: needsKey, handle: handle)
        logger.info(
            "yookassa \(name) \(status)",
            metadata: [
                "payment": "\(context.parameters.get("id") ?? body.field("id") ?? "-")",
                "code": "\(body.field("code") ?? "-")",
            ])
        return SandboxJSON.response(body, status: status)
    }

    private func answer(
        _ request: Request, needsKey: Bool, handle: (String, Data, String?) async -> YooKassaState.Answer
    ) async -> YooKassaState.Answer {
        let latencyMs = await state.faults.latencyMs
        if latencyMs > 0 { try? await Task.sleep(for: .milliseconds(latencyMs)) }
        guard let shopId = credentials(request) else {
            await state.countUnauthorized()
            return (401, YooKassaError.invalidCredentials.json)
        }
        if await state.rollRateLimit() { return (429, YooKassaError.tooManyRequests.json) }
        var key: String? = nil
        if needsKey {
            guard let value = request.headers[Self.idempotenceKeyHeader], !value.isEmpty else {
                return (400, YooKassaError.missingIdempotenceKey.json)
            }
            guard value.count <= 64 else { return (400, YooKassaError.longIdempotenceKey.json) }
            key = value
        }
        var request = request
        guard let buffer = try? await request.collectBody(upTo: Self.maxBodyBytes) else {
            return (400, YooKassaError.invalidRequest("The request body is larger than 1 MiB").json)
        }
        return await handle(shopId, Data(buffer.readableBytesView), key)
    }

    /// The shop id of a valid `Authorization: Basic base64(shopId:secretKey)`, or nil.
    private func credentials(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":")
        else { return nil }
        let shopId = String(pair[..<colon])
        let secret = String(pair[pair.index(after: colon)...])
        return state.configuration.accepts(shopId: shopId, secretKey: secret) ? shopId : nil
    }
}

extension JSONValue {
    /// A top-level string field of an object, for log lines.
    func field(_ name: String) -> String? {
        guard case .object(let fields) = self, let value = fields.first(where: { $0.0 == name })?.1,
            case .string(let text) = value
        else { return nil }
        return text
    }
}
