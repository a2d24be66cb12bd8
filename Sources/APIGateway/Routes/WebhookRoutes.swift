import Foundation
import Hummingbird
import NIOCore
import Shared

/// `POST /webhooks/yookassa`: no api-key; the sender must be in YooKassa's ranges
/// (`X-Forwarded-For` is believed only from `TRUSTED_PROXIES`). A valid notification queues a
/// `confirm_payment` job and is answered 200 at once; the worker re-reads the payment from
/// YooKassa before acting, so the notification's own content is never trusted.
struct WebhookRoutes: Sendable {
    let services: GatewayServices
    let allowed: [IPRange]
    let proxies: [IPRange]

    init(services: GatewayServices) {
        self.services = services
        allowed = services.settings.webhookAllowedNetworks.compactMap(IPRange.init)
        proxies = services.settings.trustedProxies.compactMap(IPRange.init)
    }

    func register(on router: Router<GatewayContext>) {
        router.post("/webhooks/yookassa") { request, context in try await receive(request, context) }
    }

    private func receive(_ request: Request, _ context: GatewayContext) async throws -> Response {
        let sender = senderAddress(request, context)
        guard let sender, allowed.contains(where: { $0.contains(sender) }) else {
            context.logger.warning("webhook from a sender outside YooKassa's ranges refused", metadata: ["sender": "\(sender ?? "?")"])
            throw APIError(.forbidden, "forbidden_sender", "notifications are accepted from YooKassa's addresses only")
        }
        let data = try await JSONBody.collect(request, limit: 64 * 1024)
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], JSONBody.duplicateKey(in: data) == nil,
              json["type"] as? String == "notification",
              let event = json["event"] as? String, let object = json["object"] as? [String: Any],
              let paymentID = object["id"] as? String, (1...64).contains(paymentID.utf8.count),
              paymentID.utf8.allSatisfy({ $0 == 45 || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }) else {
            throw APIError.badRequest("invalid_notification", "expected {type: notification, event, object: {id, ...}}")
        }
        guard event.hasPrefix("payment.") else {
            // refund.succeeded and others: acknowledged, nothing to do (refunds are handled by operators).
            return JSONBody.response(.object([("status", .string("ignored"))]))
        }
        let safeEvent = event.replacingOccurrences(of: ".", with: "_").filter { $0.isLetter || $0 == "_" }
        try await services.queue.enqueue(kind: "confirm_payment", queue: QueueNames.payment,
                                         payload: JSONValue.object([("payment_id", .string(paymentID))]).serialized,
                                         maxAttempts: 8, id: "webhook-\(paymentID)-\(safeEvent)")
        return JSONBody.response(.object([("status", .string("queued"))]))
    }

    /// The peer's address, or the last untrusted hop of `X-Forwarded-For` when the peer is a trusted proxy.
    func senderAddress(_ request: Request, _ context: GatewayContext) -> String? {
        guard let peer = context.remoteAddress?.ipAddress else { return nil }
        guard proxies.contains(where: { $0.contains(peer) }), let forwarded = request.headers[.init("X-Forwarded-For")!] else { return peer }
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return hops.reversed().first { hop in !proxies.contains { $0.contains(hop) } } ?? hops.first
    }
}
