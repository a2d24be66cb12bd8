import Foundation
import Hummingbird
import OzhDomain
import OzhSupport

/// An error answer in YooKassa's shape: `{"type":"error","id","code","description","parameter"}`.
struct YooKassaError: Error, Sendable {
    var status: Int
    var code: String
    var description: String
    var parameter: String? = nil

    var json: JSONValue {
        SandboxJSON.value(YooKassaAPI.ErrorBody(id: UUID().uuidString.lowercased(), code: code, description: description, parameter: parameter))
    }

    var response: Response { SandboxJSON.response(json, status: status) }

    static func invalidRequest(_ description: String, parameter: String? = nil) -> YooKassaError {
        YooKassaError(status: 400, code: "invalid_request", description: description, parameter: parameter)
    }

    static let invalidCredentials = YooKassaError(
        status: 401, code: "invalid_credentials", description: "Authentication by given credentials failed"
    )

    static func notFound(_ id: String) -> YooKassaError {
        YooKassaError(status: 404, code: "not_found", description: "Payment doesn't exist or access denied", parameter: "payment_id")
    }

    static func refundNotFound(_ id: String) -> YooKassaError {
        YooKassaError(status: 404, code: "not_found", description: "Refund doesn't exist or access denied", parameter: "refund_id")
    }

    static let tooManyRequests = YooKassaError(
        status: 429, code: "too_many_requests", description: "Wrong request frequency. Try again later"
    )

    static let internalError = YooKassaError(
        status: 500, code: "internal_server_error",
        description: "Internal server error. Repeat the request with the same Idempotence-Key to learn its result"
    )

    static let missingIdempotenceKey = invalidRequest("Idempotence key isn't specified", parameter: "Idempotence-Key")
    static let longIdempotenceKey = invalidRequest("Idempotence key is too long (64 characters at most)", parameter: "Idempotence-Key")
    static let duplicatedIdempotenceKey = invalidRequest("Idempotence key duplicated", parameter: "Idempotence-Key")
}
