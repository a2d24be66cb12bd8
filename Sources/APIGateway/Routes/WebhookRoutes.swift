import Foundation
import Hummingbird
import NIOCore
import OzhDomain

/// `POST /webhooks/yookassa`: no api-key; the sender must be in YooKassa's ranges
/// (`X-Forwarded-For` is believed only from `TRUSTED_PROXIES`). Only the events YooKassa sends
/// us (``events``) about payments this service created (looked up in `payments`) queue a job;
/// anything else is answered 200 `ignored` and dropped (counted in
/// `ozh_webhook_notifications_total`). The job re-reads the payment (or refund) from YooKassa
/// before acting, so the notification's own content is never trusted; ``NotificationInbox``
/// deduplicates without ever dropping a genuine notification.
struct WebhookRoutes: Sendable {
    /// The events YooKassa notifies: a payment's three settled states and a refund.
    static let events: Set<String> = ["payment.waiting_for_capture", "payment.succeeded", "payment.canceled", "refund.succeeded"]

    let services: GatewayServices
    let allowed: [IPRange]
    let proxies: [IPRange]
    let payments: PaymentService
    let inbox: NotificationInbox

    init(services: GatewayServices) {
        self.services = services
        allowed = services.settings.yookassa.webhookAllowedNetworks.compactMap(IPRange.init)
        proxies = services.settings.gateway.trustedProxies.compactMap(IPRange.init)
        payments = services.payments
        inbox = NotificationInbox(queue: services.queue)
    }

    func register(on router: Router<GatewayContext>) {
        WebhookMetrics.prepare()
        router.post("/webhooks/yookassa") { request, context in try await receive(request, context) }
    }

    private func receive(_ request: Request, _ context: GatewayContext) async throws -> Response {
        let sender = senderAddress(request, context)
        guard let sender, allowed.contains(where: { $0.contains(sender) }) else {
            context.logger.warning("webhook from a sender outside YooKassa's ranges refused", metadata: ["sender": "\(sender ?? "?")"])
            throw APIError(.forbidden, "forbidden_sender", "notifications are accepted from YooKassa's addresses only")
        }
        let data = try await JSONBody.collect(request, limit: 64 * 1024)
        typealias Notification = YooKassaAPI.Notification<YooKassaAPI.NotificationSubject>
        guard let notification = try? JSONDecoder().decode(Notification.self, from: data), JSONBody.duplicateKey(in: data) == nil,
            notification.type == "notification", Self.isYooKassaID(notification.object.id)
        else {
            throw APIError.badRequest("invalid_notification", "expected {type: notification, event, object: {id, ...}}")
        }
        let event = notification.event
        let objectID = notification.object.id
        guard Self.events.contains(event) else {
            return ignored("unknown_event", event: event, id: objectID, context)
        }
        let isRefund = event.hasPrefix("refund.")
        let paymentID = isRefund ? notification.object.paymentID : objectID
        guard let paymentID, Self.isYooKassaID(paymentID) else {
            throw APIError.badRequest("invalid_notification", "a refund notification's object needs its payment_id")
        }
        let notified = try await payments.notify(paymentID: paymentID, objectID: objectID, isRefund: isRefund, inbox: inbox)
        guard case .submitted(let outcome) = notified else {
            return ignored("unknown_payment", event: event, id: paymentID, context)
        }
        switch outcome {
        case .queued(let jobID):
            WebhookMetrics.record("queued")
            context.logger.info("notification queued a re-read", metadata: ["event": "\(event)", "payment_id": "\(paymentID)", "job_id": "\(jobID)"])
        case .deduplicated(let jobID):
            WebhookMetrics.record("deduplicated")
            context.logger.info(
                "notification joins a waiting re-read", metadata: ["event": "\(event)", "payment_id": "\(paymentID)", "job_id": "\(jobID)"])
        }
        return JSONBody.response(.object([("status", .string("queued"))]))
    }

    /// Answers 200 `ignored` (YooKassa must not redeliver it) and counts the drop.
    private func ignored(_ reason: String, event: String, id: String, _ context: GatewayContext) -> Response {
        WebhookMetrics.record(reason)
        context.logger.debug("notification dropped", metadata: ["reason": "\(reason)", "event": "\(event)", "id": "\(id)"])
        return JSONBody.response(.object([("status", .string("ignored"))]))
    }

    /// YooKassa's ids: 1–64 ASCII letters, digits and dashes.
    static func isYooKassaID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count)
            && id.utf8.allSatisfy { $0 == 45 || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }
    }

    /// The peer's address, or the last untrusted hop of `X-Forwarded-For` when the peer is a trusted proxy.
    func senderAddress(_ request: Request, _ context: GatewayContext) -> String? {
        guard let peer = context.remoteAddress?.ipAddress else { return nil }
        guard proxies.contains(where: { $0.contains(peer) }), let forwarded = request.headers[.init("X-Forwarded-For")!] else { return peer }
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return hops.reversed().first { hop in !proxies.contains { $0.contains(hop) } } ?? hops.first
    }
}
