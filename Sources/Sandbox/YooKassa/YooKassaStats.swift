import OzhDomain
import OzhSupport

/// Counters for `GET /_sandbox/yookassa/stats`.
struct YooKassaStats: Sendable {
    var paymentsCreated = 0
    var createRequests = 0
    var idempotentReplays = 0
    var idempotenceConflicts = 0
    var rateLimited = 0
    var injectedFailures = 0
    var unauthorized = 0
    /// Payments created per Idempotence-Key: any value above 1 would be a duplicate.
    var byIdempotenceKey: [String: Int] = [:]

    func json(payments: [YooKassaPayment], webhooks: JSONValue) -> JSONValue {
        let counts: [(String, JSONValue)] = YooKassaPayment.Status.allCases.map { status in
            (status.rawValue, .int(Int64(payments.filter { $0.status == status }.count)))
        }
        return .object([
            ("payments_created", .int(Int64(paymentsCreated))),
            ("payments", .object(counts)),
            ("create_requests", .int(Int64(createRequests))),
            ("idempotent_replays", .int(Int64(idempotentReplays))),
            ("idempotence_conflicts", .int(Int64(idempotenceConflicts))),
            ("rate_limited", .int(Int64(rateLimited))),
            ("injected_failures", .int(Int64(injectedFailures))),
            ("unauthorized", .int(Int64(unauthorized))),
            ("webhooks", webhooks),
            ("by_idempotence_key", .object(byIdempotenceKey.keys.sorted().map { ($0, .int(Int64(byIdempotenceKey[$0]!))) })),
        ])
    }
}
