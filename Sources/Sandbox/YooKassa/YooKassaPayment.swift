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
    var metadata: JSONValue?
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

    var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .string(id)), ("status", .string(status.rawValue)), ("paid", .bool(paid)),
            ("amount", money(amount)),
        ]
        if status == .succeeded { fields.append(("income_amount", money(amount.income))) }
        if status == .pending {
            fields.append(("confirmation", .object([
                ("type", .string("redirect")), ("confirmation_url", .string(confirmationURL)), ("return_url", .string(returnURL)),
            ])))
        }
        fields.append(("created_at", .string(Self.timestamp(createdAt))))
        if let capturedAt { fields.append(("captured_at", .string(Self.timestamp(capturedAt)))) }
        if let expiresAt, status == .waitingForCapture { fields.append(("expires_at", .string(Self.timestamp(expiresAt)))) }
        if let description { fields.append(("description", .string(description))) }
        fields.append(("metadata", metadata ?? .object([])))
        if paid {
            fields.append(("payment_method", .object([
                ("type", .string("bank_card")), ("id", .string(id)), ("saved", .bool(false)),
                ("title", .string("Bank card *4444")),
                ("card", .object([
                    ("first6", .string("555555")), ("last4", .string("4444")), ("expiry_month", .string("12")),
                    ("expiry_year", .string("2030")), ("card_type", .string("MasterCard")),
                ])),
            ])))
        }
        fields.append(("recipient", .object([("account_id", .string(shopId)), ("gateway_id", .string("1000001"))])))
        if status == .succeeded { fields.append(("refunded_amount", money(refunded))) }
        fields.append(("refundable", .bool(status == .succeeded && refunded < amount)))
        if hasReceipt { fields.append(("receipt_registration", .string(status == .succeeded ? "succeeded" : "pending"))) }
        if let cancellation {
            fields.append(("cancellation_details", .object([("party", .string(cancellation.party)), ("reason", .string(cancellation.reason))])))
        }
        fields.append(("test", .bool(true)))
        return .object(fields)
    }

    private func money(_ value: YooKassaMoney) -> JSONValue {
        .object([("value", .string(value.text)), ("currency", .string(currency))])
    }

    /// "2026-11-26T12:00:00.000Z".
    static func timestamp(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(millis / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03lldZ", parts.tm_year + 1900, parts.tm_mon + 1,
                      parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, millis % 1000)
    }

    /// An id shaped like YooKassa's: `2d9977c5-000f-5000-8000-1a3b41f8f216`.
    static func newId() -> String {
        func hex(_ count: Int) -> String { String((0..<count).map { _ in "0123456789abcdef".randomElement()! }) }
        return "\(hex(8))-000f-5000-\(["8000", "9000", "a000", "b000"].randomElement()!)-\(hex(12))"
    }
}
