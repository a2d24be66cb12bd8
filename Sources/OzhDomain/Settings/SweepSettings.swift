import OzhSettings

/// The generation workers' periodic passes: the refund sweep, image retention and the money audit.
public struct SweepSettings: Sendable, Equatable {
    /// `REFUND_SWEEP_INTERVAL_MS` (60 s) and `REFUND_SWEEP_AFTER_MS` (15 min): how often the
    /// generation workers look for charges that can no longer finish, and how old such a charge
    /// must be before it is refunded.
    public var refundIntervalMS: Int
    public var refundAfterMS: Int
    /// `IMAGE_RETENTION_DAYS` (30; 0 keeps for ever): age after which a generation's drawing,
    /// images and record are deleted (a small tombstone stays), and `RETENTION_SWEEP_INTERVAL_MS`
    /// (1 h): how often the generation workers look for them.
    public var imageRetentionDays: Int
    public var retentionIntervalMS: Int
    /// `AUDIT_INTERVAL_S` (300): how often each generation worker runs the money audit for
    /// `ozh_audit_problems`; 0 turns it off.
    public var auditIntervalS: Int

    /// Reads and validates the sweeps' settings from `source`.
    public init(source: SettingsSource) throws(SettingsError) {
        refundIntervalMS = try source.int("REFUND_SWEEP_INTERVAL_MS", default: 60_000, in: 100...3_600_000)
        refundAfterMS = try source.int("REFUND_SWEEP_AFTER_MS", default: 900_000, in: 1_000...7 * 86_400_000)
        imageRetentionDays = try source.int("IMAGE_RETENTION_DAYS", default: 30, in: 0...36_500)
        retentionIntervalMS = try source.int("RETENTION_SWEEP_INTERVAL_MS", default: 3_600_000, in: 100...86_400_000)
        auditIntervalS = try source.int("AUDIT_INTERVAL_S", default: 300, in: 0...86_400)
    }
}
