import Foundation
import OzhDomain
import OzhSupport

/// One emulated refund and its JSON as the API answers it (`GET /v3/refunds/{id}`). Refunds of
/// card payments succeed at once, as they do in YooKassa's test shops.
struct YooKassaRefund: Sendable {
    var id: String
    var paymentId: String
    var status = "succeeded"
    var amount: YooKassaMoney
    var currency: String
    var description: String?
    var createdAt: Date

    var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .string(id)), ("payment_id", .string(paymentId)), ("status", .string(status)),
            ("created_at", .string(YooKassaPayment.timestamp(createdAt))),
            ("amount", .object([("value", .string(amount.text)), ("currency", .string(currency))])),
        ]
        if let description { fields.append(("description", .string(description))) }
        return .object(fields)
    }

    /// An id shaped like YooKassa's refund ids: `216749f7-0016-50be-b000-078d43a63ae4`.
    static func newId() -> String {
        func hex(_ count: Int) -> String { String((0..<count).map { _ in "0123456789abcdef".randomElement()! }) }
        return "\(hex(8))-0016-50\(hex(2))-b000-\(hex(12))"
    }
}
