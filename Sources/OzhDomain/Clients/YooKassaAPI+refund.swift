import Foundation

extension YooKassaAPI {
    /// `POST /v3/refunds`'s body: `{payment_id, amount, description?}`. Decoding is strict (the
    /// sandbox validates requests with it): `description`, when sent, must be a string.
    public struct RefundCreateRequest: Codable, Sendable, Equatable {
        public var paymentID: String
        public var amount: Amount
        /// At most 250 characters.
        public var description: String?

        public init(paymentID: String, amount: Amount, description: String? = nil) {
            self.paymentID = paymentID
            self.amount = amount
            self.description = description
        }

        enum CodingKeys: String, CodingKey { case paymentID = "payment_id", amount, description }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            paymentID = try container.decode(String.self, forKey: .paymentID)
            amount = try container.decode(Amount.self, forKey: .amount)
            description = try container.ifPresent(String.self, .description)
        }
    }

    /// A refund object (`POST /v3/refunds`, `GET /v3/refunds/{id}`, a `refund.succeeded`
    /// notification's `object`): `{id, payment_id, status, created_at, amount, description?}`.
    ///
    /// Read leniently: `id`, `payment_id`, `status` and `amount.value` are required; a missing
    /// `currency` reads as RUB, other odd fields as nil.
    public struct Refund: Codable, Sendable, Equatable {
        public var id: String
        /// The refunded payment.
        public var paymentID: String
        /// `pending`, `succeeded` or `canceled`.
        public var status: String
        public var createdAt: String?
        public var amount: Amount
        public var description: String?

        public init(id: String, paymentID: String, status: String, createdAt: String?, amount: Amount, description: String? = nil) {
            self.id = id
            self.paymentID = paymentID
            self.status = status
            self.createdAt = createdAt
            self.amount = amount
            self.description = description
        }

        enum CodingKeys: String, CodingKey { case id, paymentID = "payment_id", status, createdAt = "created_at", amount, description }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            paymentID = try container.decode(String.self, forKey: .paymentID)
            status = try container.decode(String.self, forKey: .status)
            createdAt = container.lenient(String.self, .createdAt)
            amount = try Amount.answered(container, .amount)
            description = container.lenient(String.self, .description)
        }
    }
}
