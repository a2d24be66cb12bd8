import OzhObservability

/// Payments as the payment worker sees them: `ozh_payments_total{status}`.
///
/// `created` counts create_payment jobs that recorded their YooKassa payment (a rare retry
/// after the record, which gets the same payment back, counts again); `pending`,
/// `waiting_for_capture`, `succeeded` and `canceled` count confirmations that found the payment
/// in that state (a payment re-read while still pending counts again); `credited` counts packs
/// credited (once per payment); `unknown_at_provider` counts payments marked so after YooKassa
/// answered 404 `RECONCILE_NOT_FOUND_LIMIT` times; `refunded` counts refunds taken back (once
/// per refund); `other` is a status YooKassa may add later.
public enum PaymentMetrics {
    /// Every `status` label.
    public static let statuses = [
        "created", "pending", "waiting_for_capture", "succeeded", "canceled", "credited",
        "unknown_at_provider", "refunded", "other",
    ]

    static let payments = CounterFamily(
        "ozh_payments_total", "Payments created, confirmed by YooKassa status, and credited.", labels: ["status"])

    /// Creates every status's counter at 0.
    public static func prepare() {
        for status in statuses { _ = payments.with(status) }
    }

    /// Counts a create_payment job that recorded its payment.
    public static func recordCreated() {
        payments.with("created").increment()
    }

    /// Counts a confirmation that found YooKassa's `status`, and the credit it made, if any.
    public static func recordConfirmed(status: String, credited: Bool) {
        let known = ["pending", "waiting_for_capture", "succeeded", "canceled"].contains(status)
        payments.with(known ? status : "other").increment()
        if credited { payments.with("credited").increment() }
    }

    /// Counts a payment marked `unknown_at_provider`.
    public static func recordUnknownAtProvider() {
        payments.with("unknown_at_provider").increment()
    }

    /// Counts a refund whose ozhivashki were taken back.
    public static func recordRefunded() {
        payments.with("refunded").increment()
    }
}
