import Foundation
import OzhSupport

extension YooKassaAPI {
    /// A payment object: the answer to `POST /v3/payments`, `GET /v3/payments/{id}`, capture and
    /// cancel, and a payment notification's `object`. Fields in the order YooKassa writes them;
    /// nil ones are left out.
    ///
    /// Read leniently: `id`, `status` and `amount.value` (a string) are required; any other field
    /// that is missing or of another type reads as nil (`paid` as false, `metadata` as empty).
    public struct Payment: Codable, Sendable, Equatable {
        public var id: String
        /// `pending`, `waiting_for_capture`, `succeeded` or `canceled`.
        public var status: String
        public var paid: Bool
        public var amount: Amount
        /// What the shop gets after the fee (succeeded payments).
        public var incomeAmount: Amount?
        /// Where to send the payer (pending payments).
        public var confirmation: Confirmation?
        /// "2026-11-26T12:00:00.000Z".
        public var createdAt: String?
        public var capturedAt: String?
        /// Until when a `waiting_for_capture` payment can be captured.
        public var expiresAt: String?
        public var description: String?
        public var metadata: JSONStringMap
        public var paymentMethod: PaymentMethod?
        public var recipient: Recipient?
        public var refundedAmount: Amount?
        public var refundable: Bool?
        /// `pending` or `succeeded`, when a receipt was sent.
        public var receiptRegistration: String?
        public var cancellationDetails: CancellationDetails?
        public var test: Bool?

        public init(
            id: String, status: String, paid: Bool, amount: Amount, incomeAmount: Amount? = nil,
            confirmation: Confirmation? = nil, createdAt: String? = nil, capturedAt: String? = nil,
            expiresAt: String? = nil, description: String? = nil, metadata: JSONStringMap = [:],
            paymentMethod: PaymentMethod? = nil, recipient: Recipient? = nil, refundedAmount: Amount? = nil,
            refundable: Bool? = nil, receiptRegistration: String? = nil,
            cancellationDetails: CancellationDetails? = nil, test: Bool? = nil
        ) {
            self.id = id
            self.status = status
            self.paid = paid
            self.amount = amount
            self.incomeAmount = incomeAmount
            self.confirmation = confirmation
            self.createdAt = createdAt
            self.capturedAt = capturedAt
            self.expiresAt = expiresAt
            self.description = description
            self.metadata = metadata
            self.paymentMethod = paymentMethod
            self.recipient = recipient
            self.refundedAmount = refundedAmount
            self.refundable = refundable
            self.receiptRegistration = receiptRegistration
            self.cancellationDetails = cancellationDetails
            self.test = test
        }

        enum CodingKeys: String, CodingKey {
            case id, status, paid, amount, incomeAmount = "income_amount", confirmation, createdAt = "created_at"
            case capturedAt = "captured_at", expiresAt = "expires_at", description, metadata, paymentMethod = "payment_method"
            case recipient, refundedAmount = "refunded_amount", refundable, receiptRegistration = "receipt_registration"
            case cancellationDetails = "cancellation_details", test
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            status = try container.decode(String.self, forKey: .status)
            paid = container.lenient(Bool.self, .paid) ?? false
            amount = try Amount.answered(container, .amount)
            incomeAmount = container.lenient(Amount.self, .incomeAmount)
            confirmation = container.lenient(Confirmation.self, .confirmation)
            createdAt = container.lenient(String.self, .createdAt)
            capturedAt = container.lenient(String.self, .capturedAt)
            expiresAt = container.lenient(String.self, .expiresAt)
            description = container.lenient(String.self, .description)
            metadata = container.lenient(JSONStringMap.self, .metadata) ?? [:]
            paymentMethod = container.lenient(PaymentMethod.self, .paymentMethod)
            recipient = container.lenient(Recipient.self, .recipient)
            refundedAmount = container.lenient(Amount.self, .refundedAmount)
            refundable = container.lenient(Bool.self, .refundable)
            receiptRegistration = container.lenient(String.self, .receiptRegistration)
            cancellationDetails = container.lenient(CancellationDetails.self, .cancellationDetails)
            test = container.lenient(Bool.self, .test)
        }
    }

    /// A paid payment's `payment_method`: `{type, id, saved, title, card}`.
    public struct PaymentMethod: Codable, Sendable, Equatable {
        public var type: String
        public var id: String?
        public var saved: Bool?
        public var title: String?
        public var card: Card?

        public init(type: String, id: String?, saved: Bool?, title: String?, card: Card?) {
            self.type = type
            self.id = id
            self.saved = saved
            self.title = title
            self.card = card
        }
    }

    /// A bank card: `{first6, last4, expiry_month, expiry_year, card_type}`.
    public struct Card: Codable, Sendable, Equatable {
        public var first6: String?
        public var last4: String?
        public var expiryMonth: String?
        public var expiryYear: String?
        public var cardType: String?

        public init(first6: String?, last4: String?, expiryMonth: String?, expiryYear: String?, cardType: String?) {
            self.first6 = first6
            self.last4 = last4
            self.expiryMonth = expiryMonth
            self.expiryYear = expiryYear
            self.cardType = cardType
        }

        enum CodingKeys: String, CodingKey {
            case first6, last4, expiryMonth = "expiry_month", expiryYear = "expiry_year", cardType = "card_type"
        }
    }

    /// The shop a payment is for: `{account_id, gateway_id}`.
    public struct Recipient: Codable, Sendable, Equatable {
        public var accountID: String?
        public var gatewayID: String?

        public init(accountID: String?, gatewayID: String?) {
            self.accountID = accountID
            self.gatewayID = gatewayID
        }

        enum CodingKeys: String, CodingKey { case accountID = "account_id", gatewayID = "gateway_id" }
    }

    /// Why a payment was canceled: `{party, reason}` (`yoo_money`, `expired_on_confirmation`, ...).
    public struct CancellationDetails: Codable, Sendable, Equatable {
        public var party: String?
        public var reason: String?

        public init(party: String?, reason: String?) {
            self.party = party
            self.reason = reason
        }
    }
}
