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
    var metadata: JSONStringMap?
    var hasReceipt: Bool

    /// Validates the body as YooKassa does: the first problem is a 400 naming its parameter.
    /// The body is read as the client writes it (``YooKassaAPI/PaymentCreateRequest``): a field
    /// of the wrong type is refused with that field's message, then the values are checked.
    static func parse(_ body: Data) throws(YooKassaError) -> YooKassaCreateRequest {
        let request: YooKassaAPI.PaymentCreateRequest
        do {
            request = try JSONDecoder().decode(YooKassaAPI.PaymentCreateRequest.self, from: body)
        } catch {
            throw malformed(SandboxJSON.path(of: error))
        }
        let (amount, currency) = try checked(request.amount, name: "amount")
        guard request.confirmation.type == "redirect" else {
            throw .invalidRequest("Only the redirect confirmation type is emulated", parameter: "confirmation.type")
        }
        guard let returnURL = request.confirmation.returnURL, !returnURL.isEmpty, returnURL.count <= 2048 else {
            throw .invalidRequest("return_url is required for the redirect confirmation", parameter: "confirmation.return_url")
        }
        if let description = request.description, description.count > 128 { throw descriptionError }
        if let metadata = request.metadata {
            guard metadata.count <= 16 else { throw metadataError }
            for (key, value) in metadata.fields where key.count > 32 || value.count > 512 {
                throw .invalidRequest("Metadata keys are 32 characters at most, values 512", parameter: "metadata")
            }
        }
        return YooKassaCreateRequest(
            amount: amount, currency: currency, capture: request.capture ?? false, returnURL: returnURL,
            description: request.description, metadata: request.metadata, hasReceipt: request.receipt != nil
        )
    }

    /// The error for a body that does not decode, by where it failed.
    private static func malformed(_ path: String) -> YooKassaError {
        let field = path.split(separator: ".").first.map(String.init) ?? ""
        switch field {
        case "amount": return amountError(path, name: "amount")
        case "capture": return .invalidRequest("capture must be true or false", parameter: "capture")
        case "confirmation": return .invalidRequest("Confirmation is missing or is not an object", parameter: "confirmation")
        case "description": return descriptionError
        case "metadata": return metadataError
        case "receipt": return .invalidRequest("Receipt must be an object", parameter: "receipt")
        default: return .invalidRequest("The request body must be a JSON object")
        }
    }

    private static let descriptionError = YooKassaError.invalidRequest(
        "Description must be a string of 128 characters at most", parameter: "description")
    private static let metadataError = YooKassaError.invalidRequest("Metadata must be an object with 16 keys at most", parameter: "metadata")

    /// The error for an amount field `<name>` that failed to decode at `path`.
    static func amountError(_ path: String, name: String) -> YooKassaError {
        switch path {
        case "\(name).value": return valueError(name)
        case "\(name).currency": return currencyError(name)
        default: return .invalidRequest("Amount is missing or is not an object", parameter: name)
        }
    }

    /// Checks `{value: "100.00", currency: "RUB"}`; errors name `<name>.value` / `<name>.currency`.
    static func checked(_ amount: YooKassaAPI.Amount, name: String) throws(YooKassaError) -> (YooKassaMoney, String) {
        guard let money = YooKassaMoney(amount.value), money.kopecks > 0 else { throw valueError(name) }
        guard amount.currency == "RUB" else { throw currencyError(name) }
        return (money, amount.currency)
    }

    private static func valueError(_ name: String) -> YooKassaError {
        .invalidRequest("Amount value must be a positive decimal string with two decimals, like \"100.00\"", parameter: "\(name).value")
    }

    private static func currencyError(_ name: String) -> YooKassaError {
        .invalidRequest("Only RUB is accepted by this shop", parameter: "\(name).currency")
    }
}
