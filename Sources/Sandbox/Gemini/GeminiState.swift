import Foundation
import OzhSupport

/// The emulator's mutable state — quotas, statistics, faults, the variant counter — behind
/// one actor, so every decision about a call is made atomically.
actor GeminiState {
    /// What to do with an accepted call, decided when it was admitted.
    struct Plan: Sendable {
        var latencyMs = 0
        /// 500 or 503 to answer instead of generating.
        var errorStatus: Int? = nil
        var block: GeminiFaults.BlockKind? = nil
        var textOnly = false
        /// The `stylize` variant of this call's image.
        var variant = 0
    }

    let configuration: GeminiConfiguration
    private var faults: GeminiFaults
    private var quota: GeminiQuota
    private var stats = GeminiStats()
    private var random: SplitMix64
    private var variant = 0

    init(configuration: GeminiConfiguration, now: Double = Date().timeIntervalSince1970) {
        self.configuration = configuration
        self.faults = configuration.faults
        self.random = SplitMix64(seed: configuration.faults.seed)
        self.quota = GeminiQuota(
            perMinute: configuration.requestsPerMinute, perDay: configuration.requestsPerDay,
            window: configuration.window, dayLength: configuration.dayLength, now: now
        )
    }

    /// The project of `key`, or nil when the key is unknown or made invalid by a fault.
    func project(of key: String) -> String? {
        guard !faults.invalidKeys.contains(key) else { return nil }
        return configuration.project(of: key)
    }

    /// Counts the attempt against `project`'s quota and decides its faults, or returns the
    /// violation (the caller counts the 429 with `count`).
    func admit(project: String, key: String, now: Double = Date().timeIntervalSince1970) -> Result<Plan, GeminiQuota.Violation> {
        if let violation = quota.admit(project, now: now) { return .failure(violation) }
        var plan = Plan(latencyMs: faults.latencyMs)
        if roll(faults.errorRate) {
            plan.errorStatus = faults.errorStatus
        } else if roll(faults.block != nil && faults.blockRate == 0 ? 1 : faults.blockRate) {
            plan.block = faults.block ?? .image
        } else if roll(faults.textOnly ? 1 : faults.textOnlyRate) {
            plan.textOnly = true
        }
        plan.variant = variant
        variant += 1
        return .success(plan)
    }

    /// Records how a call of a known project ended.
    func count(_ outcome: GeminiStats.Outcome, project: String, key: String) {
        stats.count(outcome, project: project, key: key)
    }

    /// Records a call refused before its project was known.
    func countRefused() {
        stats.countRefused()
    }

    var statsJSON: JSONValue { stats.json(quota: quota) }
    var faultsJSON: JSONValue { faults.json }

    /// Applies a partial faults body (a JSON object); a new `seed` restarts the random sequence.
    func updateFaults(_ body: Data) throws(FaultsError) -> JSONValue {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw FaultsError("the body must be a JSON object")
        }
        try faults.update(with: object)
        if object["seed"] != nil { random = SplitMix64(seed: faults.seed) }
        return faults.json
    }

    /// Back to the faults the process started with (none unless set by environment).
    func resetFaults() -> JSONValue {
        faults = configuration.faults
        random = SplitMix64(seed: faults.seed)
        return faults.json
    }

    /// Clears statistics, quota windows and day counters, and resets the faults (the image
    /// variant keeps counting, so images stay different across resets).
    func reset(now: Double = Date().timeIntervalSince1970) {
        stats = GeminiStats()
        quota.reset(now: now)
        _ = resetFaults()
    }

    private func roll(_ probability: Double) -> Bool {
        guard probability > 0 else { return false }
        return probability >= 1 || Double.random(in: 0..<1, using: &random) < probability
    }
}
