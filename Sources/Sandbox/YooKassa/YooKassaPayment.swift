import Foundation
import OzhDomain
import OzhSupport

/// One emulated payment and its JSON as the API answers it.
struct YooKassaPayment: Sendable {
    enum Status: String, Sendable, CaseIterable {
        case pending, waitingForCapture = "waiting_for_capture", succeeded, canceled
    }

    var id: String
    var status: Status = .pending
    var amount: YooKassaMoney
    var currency: String
    var capture: Bool
    var confirmationURL: String
    var returnURL: String
    var description: String?
    var metadata: JSONStringMap?
    var hasReceipt: Bool
    var createdAt: Date
    var capturedAt: Date? = nil
    var expiresAt: Date? = nil
    var cancellation: (party: String, reason: String)? = nil
    /// The sum of this payment's refunds.
    var refunded = YooKassaMoney(kopecks: 0)
    var shopId: String
    var idempotenceKey: String

    var paid: Bool { status == .waitingForCapture || status == .succeeded }

    /// The payment object as the API answers it: which fields are there depends on the status.
    var api: YooKassaAPI.Payment {
        var payment = YooKassaAPI.Payment(id: id, status: status.rawValue, paid: paid, amount: money(amount))
        if status == .succeeded { payment.incomeAmount = money(amount.income) }
        if status == .pending {
            payment.confirmation = .init(type: "redirect", confirmationURL: confirmationURL, returnURL: returnURL)
        }
        payment.createdAt = Self.timestamp(createdAt)
        payment.capturedAt = capturedAt.map(Self.timestamp)
        if let expiresAt, status == .waitingForCapture { payment.expiresAt = Self.timestamp(expiresAt) }
        payment.description = description
        payment.metadata = metadata ?? [:]
        if paid {
            payment.paymentMethod = .init(
                type: "bank_card", id: id, saved: false, title: "Bank card *4444",
                card: .init(
                    first6: "555555", last4: "4444", expiryMonth: "12", expiryYear: "2030", cardType: "MasterCard"))
        }
        payment.recipient = .init(accountID: shopId, gatewayID: "1000001")
        if status == .succeeded { payment.refundedAmount = money(refunded) }
        payment.refundable = status == .succeeded && refunded < amount
        if hasReceipt { payment.receiptRegistration = status == .succeeded ? "succeeded" : "pending" }
        payment.cancellationDetails = cancellation.map { .init(party: $0.party, reason: $0.reason) }
        payment.test = true
        return payment
    }

    var json: JSONValue { SandboxJSON.value(api) }

    private func money(_ value: YooKassaMoney) -> YooKassaAPI.Amount {
        YooKassaAPI.Amount(value: value.text, currency: currency)
    }

    /// "2026-11-26T12:00:00.000Z".
    static func timestamp(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(millis / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03lldZ", parts.tm_year + 1900, parts.tm_mon + 1,
            parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, millis % 1000)
    }

    /// An id shaped like YooKassa's: `2d9977c5-000f-5000-8000-1a3b41f8f216`.
    static func newId() -> String {
        func hex(_ count: Int) -> String { String((0..<count).map { _ in "0123456789abcdef".randomElement()! }) }
        return "\(hex(8))-000f-5000-\(["8000", "9000", "a000", "b000"].randomElement()!)-\(hex(12))"
    }
}
