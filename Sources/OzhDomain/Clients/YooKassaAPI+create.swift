import Foundation
import OzhSupport

extension YooKassaAPI {
    /// `POST /v3/payments`'s body: `{amount, capture, confirmation, description, metadata, receipt?}`.
    ///
    /// Decoding is strict (the sandbox validates requests with it): a field of the wrong type,
    /// or `capture: null`, fails with the field's coding path.
    public struct PaymentCreateRequest: Codable, Sendable, Equatable {
        public var amount: Amount
        /// Whether the payment is captured at once (else it waits in `waiting_for_capture`).
        public var capture: Bool?
        public var confirmation: Confirmation
        /// At most 128 characters.
        public var description: String?
        /// At most 16 keys of 32 characters, values of 512; given back in every answer.
        public var metadata: JSONStringMap?
        /// The fiscal receipt (54-FZ), when the shop sends one.
        public var receipt: Receipt?

        public init(
            amount: Amount, capture: Bool? = true, confirmation: Confirmation, description: String? = nil,
            metadata: JSONStringMap? = nil, receipt: Receipt? = nil
        ) {
            self.amount = amount
            self.capture = capture
            self.confirmation = confirmation
            self.description = description
            self.metadata = metadata
            self.receipt = receipt
        }

        enum CodingKeys: String, CodingKey { case amount, capture, confirmation, description, metadata, receipt }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            amount = try container.decode(Amount.self, forKey: .amount)
            capture = try container.ifPresent(Bool.self, .capture)
            confirmation = try container.decode(Confirmation.self, forKey: .confirmation)
            description = try container.decodeIfPresent(String.self, forKey: .description)
            metadata = try container.decodeIfPresent(JSONStringMap.self, forKey: .metadata)
            receipt = try container.decodeIfPresent(Receipt.self, forKey: .receipt)
        }
    }

    /// A create request's `receipt`: `{customer: {email}, items: [...]}`. Read leniently.
    public struct Receipt: Codable, Sendable, Equatable {
        public var customer: Customer?
        public var items: [ReceiptItem]

        public init(customer: Customer?, items: [ReceiptItem]) {
            self.customer = customer
            self.items = items
        }

        /// A receipt sent to `email`.
        public init(email: String, items: [ReceiptItem]) {
            self.init(customer: Customer(email: email), items: items)
        }

        enum CodingKeys: String, CodingKey { case customer, items }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            customer = container.lenient(Customer.self, .customer)
            items = container.lenient([ReceiptItem].self, .items) ?? []
        }
    }

    /// A receipt's `customer`.
    public struct Customer: Codable, Sendable, Equatable {
        public var email: String?

        public init(email: String?) { self.email = email }
    }

    /// One line of a receipt: `{description, quantity: "2.00", amount, vat_code, payment_subject, payment_mode}`.
    public struct ReceiptItem: Codable, Sendable, Equatable {
        /// At most 128 characters.
        public var description: String
        /// A decimal string: "1.00".
        public var quantity: String
        /// The price of one unit.
        public var amount: Amount
        public var vatCode: Int
        /// `service`, `commodity`, ...
        public var paymentSubject: String
        /// `full_payment`, `full_prepayment`, ...
        public var paymentMode: String

        public init(
            description: String, quantity: String, amount: Amount, vatCode: Int,
            paymentSubject: String = "service", paymentMode: String = "full_payment"
        ) {
            self.description = description
            self.quantity = quantity
            self.amount = amount
            self.vatCode = vatCode
            self.paymentSubject = paymentSubject
            self.paymentMode = paymentMode
        }

        enum CodingKeys: String, CodingKey {
            case description, quantity, amount, vatCode = "vat_code", paymentSubject = "payment_subject", paymentMode = "payment_mode"
        }
    }
}

extension YooKassaAPI {
    /// `POST /v3/payments/{id}/capture`'s body: `{amount?}` (less than the payment's, or all of it).
    /// Decoding is strict: `amount`, when sent, must be an amount (`null` is not).
    public struct PaymentCaptureRequest: Codable, Sendable, Equatable {
        public var amount: Amount?

        public init(amount: Amount? = nil) { self.amount = amount }

        enum CodingKeys: String, CodingKey { case amount }

        public init(from decoder: any Decoder) throws {
            amount = try decoder.container(keyedBy: CodingKeys.self).ifPresent(Amount.self, .amount)
        }
    }
}
