import Foundation
import Logging
import OzhDomain
import OzhSupport

/// The YooKassa emulator's mutable state — payments, remembered Idempotence-Keys,
/// statistics, faults, the webhook URL — behind one actor, so a create and its key are
/// recorded atomically (two concurrent retries never make two payments).
actor YooKassaState {
    /// An API answer: a status and a JSON body.
    typealias Answer = (status: Int, body: JSONValue)

    let configuration: YooKassaConfiguration
    let webhooks: YooKassaWebhooks
    private(set) var faults: YooKassaFaults
    private(set) var webhookURL: String?
    // Internal, not private: the refunds (YooKassaState+refunds.swift) and the state file use them.
    var payments: [String: YooKassaPayment] = [:]
    var order: [String] = []
    var refunds: [String: YooKassaRefund] = [:]
    var idempotence: YooKassaIdempotence
    var stats = YooKassaStats()
    /// The port the sandbox listens on, once it does.
    private var boundPort: Int?
    /// Where payments and refunds are kept across restarts, if anywhere.
    private let stateFile: YooKassaStateFile?
    private var stateVersion = 0

    init(configuration: YooKassaConfiguration, logger: Logger) {
        self.configuration = configuration
        self.faults = configuration.faults
        self.webhookURL = configuration.webhookURL
        self.idempotence = YooKassaIdempotence(ttl: configuration.idempotenceTTL)
        self.webhooks = YooKassaWebhooks(redeliveryMs: configuration.redeliveryMs, logger: logger)
        stateFile = configuration.stateFile.map(YooKassaStateFile.init(path:))
        do {
            if let snapshot = try stateFile?.load() {
                for record in snapshot.payments {
                    guard let payment = record.payment else { continue }
                    payments[payment.id] = payment
                    order.append(payment.id)
                }
                for record in snapshot.refunds { refunds[record.id] = record.refund }
                let counts = (payments: snapshot.payments.count, refunds: snapshot.refunds.count)
                logger.info("yookassa state loaded", metadata: ["payments": "\(counts.payments)", "refunds": "\(counts.refunds)"])
            }
        } catch {
            logger.error("yookassa state file unreadable; starting empty", metadata: ["error": "\(error)"])
        }
    }

    /// Writes payments and refunds to the state file (when there is one) after a change.
    func stateChanged() {
        guard let stateFile else { return }
        stateVersion += 1
        let snapshot = YooKassaSnapshot(
            payments: order.compactMap { payments[$0] }.map(YooKassaSnapshot.Payment.init),
            refunds: refunds.values.sorted { $0.createdAt < $1.createdAt }.map(YooKassaSnapshot.Refund.init))
        stateFile.save(snapshot, version: stateVersion)
    }

    // MARK: API

    /// `POST /v3/payments`: a replay, a conflict, a validation error, or a new payment
    /// (answered 500 when `fail_after_create` says so — it exists all the same).
    /// The answer an Idempotence-Key already has: the original one for the same request, a
    /// 400 for a different one; nil when the key is new.
    func earlierAnswer(_ key: String, operation: String, fingerprint: String, now: Date) -> Answer? {
        switch idempotence.lookup(key, operation: operation, fingerprint: fingerprint, now: now.timeIntervalSince1970) {
        case .replay(let record):
            stats.idempotentReplays += 1
            return (record.status, record.body)
        case .conflict:
            stats.idempotenceConflicts += 1
            return error(.duplicatedIdempotenceKey)
        case .new:
            return nil
        }
    }

    func create(key: String, body: Data, shopId: String, authority: String?, now: Date = Date()) -> Answer {
        stats.createRequests += 1
        let fingerprint = YooKassaJSON.fingerprint(body)
        if let earlier = earlierAnswer(key, operation: "create", fingerprint: fingerprint, now: now) { return earlier }
        let request: YooKassaCreateRequest
        do {
            request = try YooKassaCreateRequest.parse(body)
        } catch {
            return self.error(error)
        }
        var id = YooKassaPayment.newId()
        while payments[id] != nil { id = YooKassaPayment.newId() }
        let payment = YooKassaPayment(
            id: id, amount: request.amount, currency: request.currency, capture: request.capture,
            confirmationURL: "\(baseURL(authority: authority))/_sandbox/yookassa/checkout/\(id)", returnURL: request.returnURL,
            description: request.description, metadata: request.metadata, hasReceipt: request.hasReceipt,
            createdAt: now, shopId: shopId, idempotenceKey: key
        )
        payments[id] = payment
        order.append(id)
        stateChanged()
        stats.paymentsCreated += 1
        stats.byIdempotenceKey[key, default: 0] += 1
        idempotence.store(key, operation: "create", fingerprint: fingerprint, status: 200, body: payment.json, now: now.timeIntervalSince1970)
        if faults.takeCreateFailure() {
            stats.injectedFailures += 1
            return error(.internalError)
        }
        return (200, payment.json)
    }

    /// `POST /v3/payments/{id}/capture` (optionally a smaller `amount`) or `/cancel`.
    func merchantAction(_ action: MerchantAction, id: String, key: String, body: Data, now: Date = Date()) -> Answer {
        let fingerprint = YooKassaJSON.fingerprint(body)
        let operation = "\(action)/\(id)"
        if let earlier = earlierAnswer(key, operation: operation, fingerprint: fingerprint, now: now) { return earlier }
        guard var payment = payments[id] else { return error(.notFound(id)) }
        guard payment.status == .waitingForCapture else {
            let verb = action == .capture ? "captured" : "canceled"
            return error(
                .invalidRequest(
                    "Payment is in status \(payment.status.rawValue) and can't be \(verb); it must be waiting_for_capture", parameter: "payment_id"))
        }
        switch action {
        case .capture:
            switch Result(catching: { try JSONDecoder().decode(YooKassaAPI.PaymentCaptureRequest.self, from: body) }) {
            case .success(let request):
                guard let requested = request.amount else { break }
                do {
                    let (amount, _) = try YooKassaCreateRequest.checked(requested, name: "amount")
                    guard amount <= payment.amount else {
                        return error(.invalidRequest("The captured amount is larger than the payment's", parameter: "amount.value"))
                    }
                    payment.amount = amount
                } catch {
                    return self.error(error)
                }
            case .failure(let failure):
                // A body that is not an object captures all; a malformed amount is refused.
                let path = SandboxJSON.path(of: failure)
                if path.hasPrefix("amount") { return error(YooKassaCreateRequest.amountError(path, name: "amount")) }
            }
            payment.status = .succeeded
            payment.capturedAt = now
        case .cancel:
            payment.status = .canceled
            payment.cancellation = ("merchant", "canceled_by_merchant")
        }
        save(payment)
        idempotence.store(key, operation: operation, fingerprint: fingerprint, status: 200, body: payment.json, now: now.timeIntervalSince1970)
        return (200, payment.json)
    }

    enum MerchantAction: String, Sendable { case capture, cancel }

    func payment(_ id: String) -> YooKassaPayment? { payments[id] }

    // MARK: The payer (checkout page and control endpoints)

    /// The payer paid: `waiting_for_capture` for `capture: false`, else `succeeded`; a
    /// `waiting_for_capture` payment is captured.
    func succeed(_ id: String, now: Date = Date()) -> Result<YooKassaPayment, YooKassaError> {
        guard var payment = payments[id] else { return .failure(.notFound(id)) }
        switch payment.status {
        case .pending where !payment.capture:
            payment.status = .waitingForCapture
            payment.expiresAt = now.addingTimeInterval(7 * 86_400)
        case .pending, .waitingForCapture:
            payment.status = .succeeded
            payment.capturedAt = now
        case .succeeded, .canceled:
            return .failure(.invalidRequest("Payment is already \(payment.status.rawValue)", parameter: "payment_id"))
        }
        save(payment)
        return .success(payment)
    }

    /// The payment is canceled by `party` for `reason` (by default the payer gave up:
    /// yoo_money / expired_on_confirmation; a waiting payment not captured in time:
    /// yoo_money / expired_on_capture).
    func cancel(_ id: String, party: String? = nil, reason: String? = nil) -> Result<YooKassaPayment, YooKassaError> {
        guard var payment = payments[id] else { return .failure(.notFound(id)) }
        guard payment.status == .pending || payment.status == .waitingForCapture else {
            return .failure(.invalidRequest("Payment is already \(payment.status.rawValue)", parameter: "payment_id"))
        }
        let defaultReason = payment.status == .pending ? "expired_on_confirmation" : "expired_on_capture"
        payment.status = .canceled
        payment.cancellation = (party ?? "yoo_money", reason ?? defaultReason)
        save(payment)
        return .success(payment)
    }

    /// Stores a changed payment and notifies the webhook URL of its new status.
    private func save(_ payment: YooKassaPayment) {
        payments[payment.id] = payment
        stateChanged()
        guard let url = webhookURL, payment.status != .pending else { return }
        webhooks.enqueue(
            event: "payment.\(payment.status.rawValue)", object: payment.api, paymentId: payment.id, url: url,
            copies: faults.duplicateDeliveries, drop: faults.dropWebhooks
        )
    }

    // MARK: Faults, configuration, statistics

    /// Called when the server listens: the port completes Host headers that lack one.
    func serverRunning(port: Int?) { boundPort = port }

    /// The base of `confirmation_url`: `SANDBOX_YOOKASSA_PUBLIC_URL`, else the caller's Host
    /// (with the listening port added when the Host has none), else localhost.
    func baseURL(authority: String?) -> String {
        if let publicURL = configuration.publicURL { return publicURL }
        var host = authority ?? "localhost"
        let hasPort = host.hasPrefix("[") ? host.contains("]:") : host.contains(":")
        if let boundPort, boundPort != 80, !hasPort {
            host += ":\(boundPort)"
        }
        return "http://\(host)"
    }

    /// Whether this `/v3` call is answered 429 (counted when it is).
    func rollRateLimit() -> Bool {
        let limited = faults.rateLimitRate > 0 && (faults.rateLimitRate >= 1 || Double.random(in: 0..<1) < faults.rateLimitRate)
        if limited { stats.rateLimited += 1 }
        return limited
    }

    func countUnauthorized() { stats.unauthorized += 1 }

    func updateFaults(_ body: Data) throws(FaultsError) -> JSONValue {
        guard let object = YooKassaJSON.object(body) else { throw FaultsError("the body must be a JSON object") }
        try faults.update(with: object)
        return faults.json
    }

    func resetFaults() -> JSONValue {
        faults = configuration.faults
        return faults.json
    }

    /// Applies `{"webhook_url": "http://…" | null}`.
    func updateConfig(_ body: Data) throws(FaultsError) -> JSONValue {
        guard let object = YooKassaJSON.object(body) else { throw FaultsError("the body must be a JSON object") }
        for (field, value) in object {
            guard field == "webhook_url" else { throw FaultsError("unknown field '\(field)'") }
            if value is NSNull { webhookURL = nil; continue }
            guard let url = value as? String, url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw FaultsError("webhook_url must be null or an http(s) URL")
            }
            webhookURL = url
        }
        return configJSON
    }

    var configJSON: JSONValue {
        .object([
            ("webhook_url", .string(webhookURL)),
            ("redelivery_ms", .array(configuration.redeliveryMs.map { .int(Int64($0)) })),
            ("shop_id", .string(configuration.shopId)),
            ("credentials", .string(configuration.shopId == nil && configuration.secretKey == nil ? "any" : "configured")),
            ("idempotence_ttl_ms", .int(Int64((configuration.idempotenceTTL * 1000).rounded()))),
        ])
    }

    var statsJSON: JSONValue { stats.json(payments: order.compactMap { payments[$0] }, webhooks: webhooks.countsJSON) }

    var paymentsJSON: JSONValue { .object([("items", .array(order.compactMap { payments[$0]?.json }))]) }

    /// Forgets payments, keys, statistics and the delivery log; faults and the webhook URL
    /// go back to the start-up settings; pending deliveries stop.
    func reset() {
        payments = [:]
        order = []
        refunds = [:]
        idempotence.removeAll()
        stats = YooKassaStats()
        faults = configuration.faults
        webhookURL = configuration.webhookURL
        webhooks.reset()
        stateChanged()
    }

    func error(_ error: YooKassaError) -> Answer { (error.status, error.json) }
}
