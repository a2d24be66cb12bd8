import OzhObservability

/// Notifications the gateway's YooKassa webhook accepted from an allowed sender:
/// `ozh_webhook_notifications_total{outcome}`.
///
/// `queued` made a confirmation job; `deduplicated` found one already waiting to re-read the same
/// payment or refund; `unknown_event` is an event YooKassa does not send us and `unknown_payment`
/// names a payment this service did not create — both are answered 200 and dropped, no job queued.
public enum WebhookMetrics {
    /// Every `outcome` label.
    public static let outcomes = ["queued", "deduplicated", "unknown_event", "unknown_payment"]

    static let notifications = CounterFamily(
        "ozh_webhook_notifications_total", "YooKassa notifications by what the webhook did with them.", labels: ["outcome"])

    /// Creates every outcome's counter at 0.
    public static func prepare() {
        for outcome in outcomes { _ = notifications.with(outcome) }
    }

    /// Counts one notification with `outcome` (one of ``outcomes``).
    public static func record(_ outcome: String) {
        notifications.with(outcome).increment()
    }
}
