import Foundation

/// A validated `POST /v3/refunds` body: `{payment_id, amount: {value, currency}, description?}`.
struct YooKassaRefundRequest: Sendable {
    var paymentId: String
    var amount: YooKassaMoney
    var currency: String
    var description: String?

    static func parse(_ body: Data) throws(YooKassaError) -> YooKassaRefundRequest {
        guard let object = YooKassaJSON.object(body) else { throw .invalidRequest("The request body must be a JSON object") }
        guard let paymentId = object["payment_id"] as? String, !paymentId.isEmpty else {
            throw .invalidRequest("payment_id is missing", parameter: "payment_id")
        }
        let (amount, currency) = try YooKassaCreateRequest.amountField(object["amount"], name: "amount")
        var description: String?
        if let value = object["description"] {
            guard let text = value as? String, text.count <= 250 else {
                throw .invalidRequest("description must be a string of at most 250 characters", parameter: "description")
            }
            description = text
        }
        return YooKassaRefundRequest(paymentId: paymentId, amount: amount, currency: currency, description: description)
    }
}
