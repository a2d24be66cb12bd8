import Foundation
import OzhDomain

/// A validated `POST /v3/refunds` body: `{payment_id, amount: {value, currency}, description?}`,
/// read as the client writes it (``YooKassaAPI/RefundCreateRequest``).
struct YooKassaRefundRequest: Sendable {
    var paymentId: String
    var amount: YooKassaMoney
    var currency: String
    var description: String?

    static func parse(_ body: Data) throws(YooKassaError) -> YooKassaRefundRequest {
        let request: YooKassaAPI.RefundCreateRequest
        do {
            request = try JSONDecoder().decode(YooKassaAPI.RefundCreateRequest.self, from: body)
        } catch {
            let path = SandboxJSON.path(of: error)
            switch path.split(separator: ".").first.map(String.init) ?? "" {
            case "payment_id": throw paymentIDError
            case "amount": throw YooKassaCreateRequest.amountError(path, name: "amount")
            case "description": throw descriptionError
            default: throw .invalidRequest("The request body must be a JSON object")
            }
        }
        guard !request.paymentID.isEmpty else { throw paymentIDError }
        let (amount, currency) = try YooKassaCreateRequest.checked(request.amount, name: "amount")
        if let description = request.description, description.count > 250 { throw descriptionError }
        return YooKassaRefundRequest(paymentId: request.paymentID, amount: amount, currency: currency, description: request.description)
    }

    private static let paymentIDError = YooKassaError.invalidRequest("payment_id is missing", parameter: "payment_id")
    private static let descriptionError = YooKassaError.invalidRequest(
        "description must be a string of at most 250 characters", parameter: "description")
}
