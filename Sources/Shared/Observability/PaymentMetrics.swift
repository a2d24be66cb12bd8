/// Payments as the payment worker sees them: `ozh_payments_total{status}`.
///
/// `created` counts create_payment jobs that recorded their YooKassa payment (a rare retry
/// after the record, which gets the same payment back, counts again); `pending`,
/// `waiting_for_capture`, `succeeded` and `canceled` count confirmations that found the payment
/// in that state (a payment re-read while still pending counts again); `credited` counts packs
/// credited (once per payment); `other` is a status YooKassa may add later.
public enum PaymentMetrics {
    /// Every `status` label.
    public static let statuses = ["created", "pending", "waiting_for_capture", "succeeded", "canceled", "credited", "other"]

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
        payments.with(statuses.contains(status) && status != "created" && status != "credited" ? status : "other").increment()
        if credited { payments.with("credited").increment() }
    }
}
