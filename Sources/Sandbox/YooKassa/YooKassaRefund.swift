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

    /// The refund object as the API answers it.
    var api: YooKassaAPI.Refund {
        YooKassaAPI.Refund(
            id: id, paymentID: paymentId, status: status, createdAt: YooKassaPayment.timestamp(createdAt),
            amount: .init(value: amount.text, currency: currency), description: description)
    }

    var json: JSONValue { SandboxJSON.value(api) }

    /// An id shaped like YooKassa's refund ids: `216749f7-0016-50be-b000-078d43a63ae4`.
    static func newId() -> String {
        func hex(_ count: Int) -> String { String((0..<count).map { _ in "0123456789abcdef".randomElement()! }) }
        return "\(hex(8))-0016-50\(hex(2))-b000-\(hex(12))"
    }
}
