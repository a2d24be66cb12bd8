import Foundation
import OzhSupport

/// YooKassa's request and response bodies (`https://api.yookassa.ru/v3/`), declared once for
/// the client, the gateway's webhook route and the sandbox's emulator.
///
/// Fields are declared in the order YooKassa writes them, and request bodies are written with
/// ``JSONValueEncoder`` (``body(_:)``): the same request is the same bytes every time, as an
/// `Idempotence-Key` resent with a different body is refused with 400 `invalid_request`.
/// Answers are read leniently: unknown fields are ignored, and only what a reader cannot do
/// without (a payment's `id`, `status` and `amount.value`) makes an answer unreadable.
public enum YooKassaAPI {
    /// `value` as compact JSON bytes, keys in declaration order.
    public static func body<T: Encodable>(_ value: T) throws -> Data {
        try JSONValueEncoder().data(value)
    }

    /// `{"value": "100.00", "currency": "RUB"}`: always a two-decimal string, never a number.
    public struct Amount: Codable, Sendable, Equatable {
        public var value: String
        public var currency: String

        public init(value: String, currency: String = "RUB") {
            self.value = value
            self.currency = currency
        }

        /// `kopecks` as YooKassa writes it: 19900 → "199.00".
        public init(kopecks: Int64, currency: String = "RUB") {
            self.init(value: PackCatalog.format(kopecks: kopecks), currency: currency)
        }

        enum CodingKeys: String, CodingKey { case value, currency }

        /// An answer's amount: `value` must be a string; a missing or odd `currency` reads as RUB.
        static func answered<K: CodingKey>(_ container: KeyedDecodingContainer<K>, _ key: K) throws -> Amount {
            let amount = try container.nestedContainer(keyedBy: CodingKeys.self, forKey: key)
            return Amount(value: try amount.decode(String.self, forKey: .value), currency: amount.lenient(String.self, .currency) ?? "RUB")
        }
    }

    /// `confirmation`: `{type, return_url}` in a create request; `{type, confirmation_url,
    /// return_url}` in a pending payment. Read leniently (each field nil when missing or odd).
    public struct Confirmation: Codable, Sendable, Equatable {
        /// `redirect`.
        public var type: String?
        /// Where the payer pays (answers only).
        public var confirmationURL: String?
        /// Where the payer comes back to.
        public var returnURL: String?

        public init(type: String? = "redirect", confirmationURL: String? = nil, returnURL: String?) {
            self.type = type
            self.confirmationURL = confirmationURL
            self.returnURL = returnURL
        }

        enum CodingKeys: String, CodingKey {
            case type, confirmationURL = "confirmation_url", returnURL = "return_url"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = container.lenient(String.self, .type)
            confirmationURL = container.lenient(String.self, .confirmationURL)
            returnURL = container.lenient(String.self, .returnURL)
        }
    }
}
