import Foundation
import OzhHTTP
import OzhSupport

/// YooKassa's payments API (`/v3/payments`), HTTP Basic `shopId:secretKey`.
///
/// The base URL is a setting (`YOOKASSA_BASE_URL`) so the sandbox can stand in. Every create
/// carries an `Idempotence-Key`: repeating it after an unknown result (time-out, 500) returns
/// the original payment, so YooKassa never holds two payments for one request.
public struct YooKassaClient: Sendable {
    public let baseURL: String
    let authorization: String
    let http: HTTPClient

    public init(baseURL: String, shopID: String, secretKey: String, http: HTTPClient) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        authorization = "Basic " + Data("\(shopID):\(secretKey)".utf8).base64EncodedString()
        self.http = http
    }

    /// Creates a payment; `body` is the JSON of the create request.
    /// The answer's id must be well formed: it becomes a field name of the user document.
    public func create(_ body: JSONValue, idempotenceKey: String) async throws -> YooKassaPayment {
        let payment = try Self.decode(try await call("POST", "/v3/payments", body: body, idempotenceKey: idempotenceKey),
                                      as: YooKassaPayment.init(json:))
        guard Self.isWellFormedID(payment.id) else { throw YooKassaError.malformedID }
        return payment
    }

    /// Reads a payment as YooKassa sees it now.
    public func payment(_ id: String) async throws -> YooKassaPayment {
        try await read("payment", "/v3/payments", id, as: YooKassaPayment.init(json:), id: \.id)
    }

    /// Reads a refund as YooKassa sees it now (`GET /v3/refunds/{id}`).
    public func refund(_ id: String) async throws -> YooKassaRefund {
        try await read("refund", "/v3/refunds", id, as: YooKassaRefund.init(json:), id: \.id)
    }

    /// `GET <collection>/<id>`: a malformed id is refused before the call, and an answer about
    /// another object must never settle (or name a field for) this one.
    private func read<T>(_ kind: String, _ collection: String, _ id: String, as make: ([String: Any]) -> T?,
                         id answeredID: KeyPath<T, String>) async throws -> T {
        guard Self.isWellFormedID(id) else {
            throw YooKassaError.api(status: 400, code: "invalid_request", description: "malformed \(kind) id")
        }
        let object = try Self.decode(try await call("GET", "\(collection)/\(id)", body: nil, idempotenceKey: nil), as: make)
        let answered = object[keyPath: answeredID]
        guard answered == id else { throw YooKassaError.idMismatch(requested: id, answered: String(answered.prefix(64))) }
        return object
    }

    /// Refunds `amount` of a payment (`POST /v3/refunds`); repeating `idempotenceKey` returns the same refund.
    public func createRefund(paymentID: String, amount: String, currency: String = "RUB", idempotenceKey: String) async throws -> YooKassaRefund {
        let body = JSONValue.object([
            ("payment_id", .string(paymentID)),
            ("amount", .object([("value", .string(amount)), ("currency", .string(currency))])),
        ])
        return try Self.decode(try await call("POST", "/v3/refunds", body: body, idempotenceKey: idempotenceKey), as: YooKassaRefund.init(json:))
    }

    /// YooKassa's ids are up to 64 ASCII letters, digits and dashes; anything else is never sent.
    static func isWellFormedID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count)
            && id.utf8.allSatisfy { $0 == 45 || (48...57).contains($0) || (97...122).contains($0) || (65...90).contains($0) }
    }

    private static func decode<T>(_ json: [String: Any], as make: ([String: Any]) -> T?) throws -> T {
        guard let value = make(json) else { throw YooKassaError.unknownResult("unreadable \(T.self)") }
        return value
    }

    /// One call; the JSON object of a 200 answer, else a ``YooKassaError``.
    private func call(_ method: String, _ path: String, body: JSONValue?, idempotenceKey: String?) async throws -> [String: Any] {
        var headers = [("Authorization", authorization), ("Accept", "application/json")]
        if let idempotenceKey { headers.append(("Idempotence-Key", idempotenceKey)) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let response: HTTPResponse
        do {
            response = try await http.execute(HTTPRequest(method: method, url: baseURL + path, headers: headers,
                                                          body: body.map { Data($0.serialized.utf8) }, timeout: .seconds(30)))
        } catch let error as HTTPClientError {
            throw YooKassaError.unknownResult(error.message)
        }
        let json = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        switch response.status {
        case 200:
            return json
        case 500...599:
            throw YooKassaError.unknownResult("HTTP \(response.status)")
        default:
            throw YooKassaError.api(status: response.status, code: json["code"] as? String ?? "http_\(response.status)",
                                    description: json["description"] as? String ?? "")
        }
    }
}

/// The parts of a YooKassa payment object the service uses.
public struct YooKassaPayment: Sendable, Equatable {
    public var id: String
    /// `pending`, `waiting_for_capture`, `succeeded` or `canceled`.
    public var status: String
    public var paid: Bool
    public var amountValue: String
    public var currency: String
    public var confirmationURL: String?
    public var metadata: [String: String]
    public var cancellationReason: String?

    init?(json: [String: Any]) {
        guard let id = json["id"] as? String, let status = json["status"] as? String,
              let amount = json["amount"] as? [String: Any], let value = amount["value"] as? String else { return nil }
        self.id = id
        self.status = status
        paid = json["paid"] as? Bool ?? false
        amountValue = value
        currency = amount["currency"] as? String ?? "RUB"
        confirmationURL = (json["confirmation"] as? [String: Any])?["confirmation_url"] as? String
        metadata = (json["metadata"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String ?? ($0 as? NSNumber)?.stringValue }
        cancellationReason = (json["cancellation_details"] as? [String: Any])?["reason"] as? String
    }
}

/// YooKassa failures.
public enum YooKassaError: CodedError, Equatable {
    /// A time-out or a 5xx: the payment may or may not exist; repeat with the same key.
    case unknownResult(String)
    /// A 4xx with YooKassa's error code (`invalid_request`, `invalid_credentials`, `not_found`, `too_many_requests`).
    case api(status: Int, code: String, description: String)
    /// A 200 answer about another object than the one asked for (`GET /payments/{id}` or
    /// `/refunds/{id}`). Code `yookassa_id_mismatch`; never retried, nothing is settled.
    case idMismatch(requested: String, answered: String)
    /// A created payment whose id is not 1–64 letters, digits and dashes. Code `yookassa_malformed_id`.
    case malformedID

    public var code: String {
        switch self {
        case .unknownResult: return "yookassa_unknown_result"
        case .api(_, let code, _): return "yookassa_\(code)"
        case .idMismatch: return "yookassa_id_mismatch"
        case .malformedID: return "yookassa_malformed_id"
        }
    }

    public var message: String {
        switch self {
        case .unknownResult(let why): return "YooKassa's answer is unknown (\(why)); the request will be repeated with the same key"
        case .api(let status, let code, let description): return "YooKassa answered \(status) \(code): \(description)"
        case .idMismatch(let requested, let answered): return "YooKassa answered about \(answered) when asked for \(requested)"
        case .malformedID: return "YooKassa created a payment whose id is not 1-64 letters, digits and dashes"
        }
    }

    /// Whether repeating can help (unknown results and 429).
    public var retryable: Bool {
        switch self {
        case .unknownResult: return true
        case .api(let status, _, _): return status == 429
        case .idMismatch, .malformedID: return false
        }
    }
}
