import Foundation
import OzhDomain
import OzhSupport

/// A validated `POST /v3/payments` body.
struct YooKassaCreateRequest: Sendable {
    var amount: YooKassaMoney
    var currency: String
    var capture: Bool
    var returnURL: String
    var description: String?
    var metadata: JSONValue?
    var hasReceipt: Bool

    /// Validates the body as YooKassa does: the first problem is a 400 naming its parameter.
    static func parse(_ body: Data) throws(YooKassaError) -> YooKassaCreateRequest {
        guard let object = YooKassaJSON.object(body) else {
            throw .invalidRequest("The request body must be a JSON object")
        }
        let (amount, currency) = try amountField(object["amount"], name: "amount")
        var capture = false
        if let value = object["capture"] {
            guard let number = value as? NSNumber, YooKassaJSON.isBool(number) else {
                throw .invalidRequest("capture must be true or false", parameter: "capture")
            }
            capture = number.boolValue
        }
        guard let confirmation = object["confirmation"] as? [String: Any] else {
            throw .invalidRequest("Confirmation is missing or is not an object", parameter: "confirmation")
        }
        guard confirmation["type"] as? String == "redirect" else {
            throw .invalidRequest("Only the redirect confirmation type is emulated", parameter: "confirmation.type")
        }
        guard let returnURL = confirmation["return_url"] as? String, !returnURL.isEmpty, returnURL.count <= 2048 else {
            throw .invalidRequest("return_url is required for the redirect confirmation", parameter: "confirmation.return_url")
        }
        var description: String? = nil
        if let value = object["description"], !(value is NSNull) {
            guard let text = value as? String, text.count <= 128 else {
                throw .invalidRequest("Description must be a string of 128 characters at most", parameter: "description")
            }
            description = text
        }
        var metadata: JSONValue? = nil
        if let value = object["metadata"], !(value is NSNull) {
            guard let fields = value as? [String: Any], fields.count <= 16 else {
                throw .invalidRequest("Metadata must be an object with 16 keys at most", parameter: "metadata")
            }
            for (key, item) in fields where key.count > 32 || (item as? String).map({ $0.count > 512 }) == true {
                throw .invalidRequest("Metadata keys are 32 characters at most, values 512", parameter: "metadata")
            }
            metadata = YooKassaJSON.value(fields)
        }
        var hasReceipt = false
        if let value = object["receipt"], !(value is NSNull) {
            guard value is [String: Any] else { throw .invalidRequest("Receipt must be an object", parameter: "receipt") }
            hasReceipt = true
        }
        return YooKassaCreateRequest(
            amount: amount, currency: currency, capture: capture, returnURL: returnURL,
            description: description, metadata: metadata, hasReceipt: hasReceipt
        )
    }

    /// Reads `{value: "100.00", currency: "RUB"}`; errors name `<name>.value` / `<name>.currency`.
    static func amountField(_ value: Any?, name: String) throws(YooKassaError) -> (YooKassaMoney, String) {
        guard let amount = value as? [String: Any] else {
            throw .invalidRequest("Amount is missing or is not an object", parameter: name)
        }
        guard let text = amount["value"] as? String, let money = YooKassaMoney(text), money.kopecks > 0 else {
            throw .invalidRequest("Amount value must be a positive decimal string with two decimals, like \"100.00\"", parameter: "\(name).value")
        }
        guard let currency = amount["currency"] as? String, currency == "RUB" else {
            throw .invalidRequest("Only RUB is accepted by this shop", parameter: "\(name).currency")
        }
        return (money, currency)
    }
}
