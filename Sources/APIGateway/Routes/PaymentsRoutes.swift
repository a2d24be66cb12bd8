import Foundation
import HTTPTypes
import Hummingbird
import OzhDomain
import OzhQueue
import OzhSupport

/// `POST /users/{chat_id}/create_payment`: the seed's `{item_name, quantity, price}`; the
/// payment itself is created by the payment worker.
struct PaymentsRoutes: Sendable {
    let services: GatewayServices

    func register(on router: Router<GatewayContext>) {
        router.post("/users/{chat_id}/create_payment") { request, context in try await create(request, context) }
    }

    struct Body: Decodable {
        let item_name: String
        let quantity: Int
        let price: PriceValue
        let callback_url: String?
        let callback_events: String?
    }

    /// `price` as the seed sends it (a JSON number, 100.00) or as a string ("100.00").
    struct PriceValue: Decodable {
        let kopecks: Int64?
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                kopecks = PackCatalog.kopecks(text)
            } else {
                let number = try container.decode(Double.self)
                let scaled = (number * 100).rounded()
                kopecks = number.isFinite && abs(number * 100 - scaled) < 1e-6 && scaled >= 0 && scaled < 1e13 ? Int64(scaled) : nil
            }
        }
    }

    private func create(_ request: Request, _ context: GatewayContext) async throws -> Response {
        let chatID = try UsersRoutes.chatID(context)
        let wait = try SyncWait(request, defaultSeconds: services.settings.bot.generateSyncWaitS)
        let key = request.headers[idempotencyHeader]
        if let key { try IdempotencyStore.validate(key) }
        let body = try await JSONBody.decode(Body.self, from: request, limit: services.settings.gateway.maxJSONBodyBytes)
        let catalog = services.settings.payments.catalog
        guard let pack = catalog.pack(named: body.item_name) else {
            throw APIError.badRequest("unknown_item", "unknown item_name; items: \(catalog.packs.map(\.name).joined(separator: ", "))")
        }
        guard (1...100).contains(body.quantity) else {
            throw APIError.badRequest("invalid_quantity", "field 'quantity' must be from 1 to 100")
        }
        let user = try await services.users.touch(chatID, now: Date.nowMillis)
        let expected = catalog.priceKopecks(of: pack, quantity: body.quantity, discounted: user.discountOffered)
        guard let price = body.price.kopecks, price == expected else {
            throw APIError.badRequest(
                "price_mismatch",
                "field 'price' must be \(PackCatalog.format(kopecks: expected)) for \(body.quantity) × \(pack.name)"
                    + (user.discountOffered ? " (with the \(catalog.discountPercent)% discount)" : ""))
        }
        let callback = try await services.callbackFields(url: body.callback_url, events: body.callback_events)
        let order = PaymentService.Order(
            chatID: chatID, item: pack.name, quantity: body.quantity,
            ozhivashki: pack.ozhivashki, amountKopecks: expected)
        let jobID = try await services.payments.placeOrder(
            order, idempotencyKey: key, callback: callback,
            idempotency: services.idempotency, queue: services.queue)
        return try await services.createdAnswer(jobID, wait: wait, client: services.clientAddress(request, context)) { job in
            job.status == .succeeded ? job.result.map(JSONValue.raw) : nil
        }
    }
}
