import Foundation

extension YooKassaAPI {
    /// A webhook notification: `{"type": "notification", "event": "payment.succeeded", "object": {...}}`.
    /// `Object` is a ``Payment`` or a ``Refund`` for the sender, ``NotificationSubject`` for a
    /// receiver that only needs to know what to re-read.
    public struct Notification<Object: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
        /// Always `notification`.
        public var type: String
        /// `payment.waiting_for_capture`, `payment.succeeded`, `payment.canceled`, `refund.succeeded`.
        public var event: String
        public var object: Object

        public init(type: String = "notification", event: String, object: Object) {
            self.type = type
            self.event = event
            self.object = object
        }
    }

    /// What a notification is about: the object's `id` (required, a string) and, for a refund,
    /// its `payment_id` (nil when missing or not a string). Other fields are not read: the
    /// receiver re-reads the object from YooKassa before acting.
    public struct NotificationSubject: Codable, Sendable, Equatable {
        public var id: String
        public var paymentID: String?

        public init(id: String, paymentID: String? = nil) {
            self.id = id
            self.paymentID = paymentID
        }

        enum CodingKeys: String, CodingKey { case id, paymentID = "payment_id" }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            paymentID = container.lenient(String.self, .paymentID)
        }
    }
}
