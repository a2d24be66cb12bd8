import Foundation
import OzhHTTP
import OzhSettings
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

    /// Creates a payment from typed parameters: `{amount, capture, confirmation: {type: redirect,
    /// return_url}, description, metadata, receipt?}` (``YooKassaAPI/PaymentCreateRequest``).
    /// Repeating `idempotenceKey` with the same parameters sends the same bytes and gets the same payment.
    public func createPayment(
        amount: YooKassaAPI.Amount, description: String?, returnURL: String, metadata: JSONStringMap?,
        receipt: YooKassaAPI.Receipt? = nil, capture: Bool = true, idempotenceKey: String
    ) async throws -> YooKassaPayment {
        let request = YooKassaAPI.PaymentCreateRequest(
            amount: amount, capture: capture, confirmation: .init(returnURL: returnURL),
            description: description, metadata: metadata, receipt: receipt)
        return try await create(request, idempotenceKey: idempotenceKey)
    }

    /// Creates a payment (`POST /v3/payments`).
    /// The answer's id must be well formed: it becomes a field name of the user document.
    public func create(_ request: YooKassaAPI.PaymentCreateRequest, idempotenceKey: String) async throws -> YooKassaPayment {
        let answer = try await call("POST", "/v3/payments", body: try YooKassaAPI.body(request), idempotenceKey: idempotenceKey)
        let payment = YooKassaPayment(try Self.decode(answer, as: YooKassaAPI.Payment.self, named: "YooKassaPayment"))
        guard Self.isWellFormedID(payment.id) else { throw YooKassaError.malformedID }
        return payment
    }

    /// Reads a payment as YooKassa sees it now.
    public func payment(_ id: String) async throws -> YooKassaPayment {
        YooKassaPayment(try await read("payment", "/v3/payments", id, as: YooKassaAPI.Payment.self, named: "YooKassaPayment", id: \.id))
    }

    /// Reads a refund as YooKassa sees it now (`GET /v3/refunds/{id}`).
    public func refund(_ id: String) async throws -> YooKassaRefund {
        YooKassaRefund(try await read("refund", "/v3/refunds", id, as: YooKassaAPI.Refund.self, named: "YooKassaRefund", id: \.id))
    }

    /// `GET <collection>/<id>`: a malformed id is refused before the call, and an answer about
    /// another object must never settle (or name a field for) this one.
    private func read<T: Decodable>(
        _ kind: String, _ collection: String, _ id: String, as type: T.Type, named name: String,
        id answeredID: KeyPath<T, String>
    ) async throws -> T {
        guard Self.isWellFormedID(id) else {
            throw YooKassaError.api(status: 400, code: "invalid_request", description: "malformed \(kind) id")
        }
        let object = try Self.decode(try await call("GET", "\(collection)/\(id)", body: nil, idempotenceKey: nil), as: type, named: name)
        let answered = object[keyPath: answeredID]
        guard answered == id else { throw YooKassaError.idMismatch(requested: id, answered: String(answered.prefix(64))) }
        return object
    }

    /// Refunds `amount` of a payment (`POST /v3/refunds`); repeating `idempotenceKey` returns the same refund.
    public func createRefund(paymentID: String, amount: String, currency: String = "RUB", idempotenceKey: String) async throws -> YooKassaRefund {
        let request = YooKassaAPI.RefundCreateRequest(paymentID: paymentID, amount: .init(value: amount, currency: currency))
        let answer = try await call("POST", "/v3/refunds", body: try YooKassaAPI.body(request), idempotenceKey: idempotenceKey)
        return YooKassaRefund(try Self.decode(answer, as: YooKassaAPI.Refund.self, named: "YooKassaRefund"))
    }

    /// YooKassa's ids are up to 64 ASCII letters, digits and dashes; anything else is never sent.
    static func isWellFormedID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count)
            && id.utf8.allSatisfy { $0 == 45 || (48...57).contains($0) || (97...122).contains($0) || (65...90).contains($0) }
    }

    /// A 200 answer's object; one that is not JSON, or lacks what `T` requires, is an unknown result.
    private static func decode<T: Decodable>(_ body: Data, as type: T.Type, named name: String) throws -> T {
        guard let value = try? JSONDecoder().decode(type, from: body) else { throw YooKassaError.unknownResult("unreadable \(name)") }
        return value
    }

    /// One call; the body of a 200 answer, else a ``YooKassaError``.
    private func call(_ method: String, _ path: String, body: Data?, idempotenceKey: String?) async throws -> Data {
        var headers = [("Authorization", authorization), ("Accept", "application/json")]
        if let idempotenceKey { headers.append(("Idempotence-Key", idempotenceKey)) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let response: HTTPResponse
        do {
            response = try await http.execute(
                HTTPRequest(
                    method: method, url: baseURL + path, headers: headers,
                    body: body, timeout: .seconds(30)))
        } catch let error as HTTPClientError {
            throw YooKassaError.unknownResult(error.message)
        }
        switch response.status {
        case 200:
            return response.body
        case 500...599:
            throw YooKassaError.unknownResult("HTTP \(response.status)")
        default:
            let error = YooKassaAPI.ErrorBody.read(response.body)
            throw YooKassaError.api(
                status: response.status, code: error.code ?? "http_\(response.status)",
                description: error.description ?? "")
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

    /// The parts of an answered payment object the service uses.
    public init(_ payment: YooKassaAPI.Payment) {
        id = payment.id
        status = payment.status
        paid = payment.paid
        amountValue = payment.amount.value
        currency = payment.amount.currency
        confirmationURL = payment.confirmation?.confirmationURL
        metadata = payment.metadata.dictionary
        cancellationReason = payment.cancellationDetails?.reason
    }

    /// Reads a payment from a `JSONSerialization` object (tests build payments so); nil when
    /// it lacks what ``YooKassaAPI/Payment`` requires.
    init?(json: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: json),
            let payment = try? JSONDecoder().decode(YooKassaAPI.Payment.self, from: data)
        else { return nil }
        self.init(payment)
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

extension YooKassaClient {
    /// The client of the shop `settings` name (`YOOKASSA_BASE_URL`, `YOOKASSA_SHOP_ID`,
    /// `YOOKASSA_SECRET_KEY`); throws naming the variable when the shop id or key is not set.
    public init(settings: YooKassaSettings, http: HTTPClient) throws(SettingsError) {
        let shop = try settings.requireShop()
        self.init(baseURL: settings.baseURL, shopID: shop.shopID, secretKey: shop.secretKey, http: http)
    }
}
