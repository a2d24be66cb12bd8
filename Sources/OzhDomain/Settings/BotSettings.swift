import OzhSettings

/// What the gateway offers bot developers (README "For bot developers"): the drop-in
/// synchronous answer of the original service, and the estimate behind `eta_seconds`.
public struct BotSettings: Sendable, Equatable {
    /// `GENERATE_SYNC_WAIT_S` (0 = off, at most ``maxSyncWaitS``): every `POST /generate` and
    /// `create_payment` waits this long for its job and answers the original service's `200`
    /// (the images, or `{payment_url, payment_id}`) when it finished in time, as if the request
    /// had said `Prefer: wait=N`; otherwise the `202` as without it.
    public var generateSyncWaitS: Int
    /// `ETA_IMAGE_SECONDS` (20): the image duration assumed until the generation workers have
    /// measured one (they keep a moving average of their image calls in Redis).
    public var etaImageSeconds: Int

    /// The longest wait `Prefer: wait=N` or `GENERATE_SYNC_WAIT_S` may hold a request (the
    /// same cap as `?wait=S`).
    public static let maxSyncWaitS = 60

    /// Settings with these values (tests).
    public init(generateSyncWaitS: Int = 0, etaImageSeconds: Int = 20) {
        self.generateSyncWaitS = generateSyncWaitS
        self.etaImageSeconds = etaImageSeconds
    }

    /// Reads and validates the bot settings from `source`.
    public init(source: SettingsSource) throws(SettingsError) {
        generateSyncWaitS = try source.int("GENERATE_SYNC_WAIT_S", default: 0, in: 0...Self.maxSyncWaitS)
        etaImageSeconds = try source.int("ETA_IMAGE_SECONDS", default: 20, in: 1...3600)
    }
}
