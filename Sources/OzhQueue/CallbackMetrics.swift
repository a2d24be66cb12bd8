import OzhObservability

/// Push-callback delivery attempts: `ozh_callback_deliveries_total{outcome}`.
///
/// `delivered` got a 2xx; `retrying` got anything else (a non-2xx, a 3xx included, or a transport
/// error) and will be tried again; `failed` gave up (24 h passed, or the job is gone);
/// `refused` found the target no longer public at delivery time (DNS rebinding) — retried like
/// any failure; `enqueue_failed` counts ends whose delivery could not be queued (logged; the job
/// itself is unaffected).
public enum CallbackMetrics {
    /// Every `outcome` label.
    public static let outcomes = ["delivered", "retrying", "failed", "refused", "enqueue_failed"]

    static let deliveries = CounterFamily(
        "ozh_callback_deliveries_total", "Push-callback delivery attempts by outcome.", labels: ["outcome"])

    /// Creates every outcome's counter at 0.
    public static func prepare() {
        for outcome in outcomes { _ = deliveries.with(outcome) }
    }

    /// Counts one attempt (or enqueue failure) with `outcome` (one of ``outcomes``).
    public static func record(_ outcome: String) {
        deliveries.with(outcome).increment()
    }
}
