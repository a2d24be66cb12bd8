import OzhSettings

/// How the payment worker re-reads payments YooKassa has not settled yet (``ReconcileSchedule``).
public struct ReconcileSettings: Sendable, Equatable {
    /// `RECONCILE_INTERVAL_MS` (60 s) and `RECONCILE_AFTER_MS` (3 min): how often and after how
    /// long the payment worker re-reads payments still pending.
    public var intervalMS: Int
    public var afterMS: Int
    /// `RECONCILE_BACKOFF_MS` (10 min, 30 min, 1 h): the pauses between a pending payment's later
    /// re-reads, after the first one at `RECONCILE_AFTER_MS`; the last pause repeats.
    public var backoffMS: [Int]
    /// `RECONCILE_PAGE_SIZE` (500): how many due payments one reconciliation query reads.
    public var pageSize: Int
    /// `RECONCILE_NOT_FOUND_LIMIT` (3): how many 404s from YooKassa mark a payment `unknown_at_provider`.
    public var notFoundLimit: Int
    /// `PAYMENT_CONFIRMATION_EXPIRY_MS` (1 h, YooKassa's limit for card payments): after it, one
    /// last re-read and a still-pending payment is no longer re-read.
    public var confirmationExpiryMS: Int
    /// `WEBHOOK_RECHECK_MS` (60 s): how long a notification's re-read that still finds the payment
    /// (or refund) `pending` keeps re-reading on a short backoff.
    public var webhookRecheckMS: Int

    /// Reads and validates the reconciliation settings from `source`.
    public init(source: SettingsSource) throws(SettingsError) {
        intervalMS = try source.int("RECONCILE_INTERVAL_MS", default: 60_000, in: 100...3_600_000)
        afterMS = try source.int("RECONCILE_AFTER_MS", default: 180_000, in: 0...86_400_000)
        backoffMS = try Self.milliseconds(source, "RECONCILE_BACKOFF_MS", default: [600_000, 1_800_000, 3_600_000])
        pageSize = try source.int("RECONCILE_PAGE_SIZE", default: 500, in: 1...10_000)
        notFoundLimit = try source.int("RECONCILE_NOT_FOUND_LIMIT", default: 3, in: 1...100)
        confirmationExpiryMS = try source.int("PAYMENT_CONFIRMATION_EXPIRY_MS", default: 3_600_000, in: 1_000...30 * 86_400_000)
        webhookRecheckMS = try source.int("WEBHOOK_RECHECK_MS", default: 60_000, in: 0...3_600_000)
    }

    /// A comma-separated list of pauses in milliseconds (each 1 ms to 1 day), or `defaultValue` when unset.
    static func milliseconds(_ source: SettingsSource, _ variable: String, default defaultValue: [Int]) throws(SettingsError) -> [Int] {
        let items = source.list(variable)
        guard !items.isEmpty else { return defaultValue }
        var values: [Int] = []
        for item in items {
            guard let value = Int(item), (1...86_400_000).contains(value) else {
                throw .invalid(variable: variable, reason: "expected comma-separated milliseconds (1...86400000), got '\(item)'")
            }
            values.append(value)
        }
        return values
    }
}
