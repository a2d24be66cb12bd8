import Foundation

/// Why ``QuotaLimiter/acquire(model:cost:images:)`` could not grant a slot.
public enum QuotaWaitReason: String, Sendable, Equatable, Codable {
    /// Every usable project used its per-window requests (or images).
    case minute
    /// Every usable project used its requests of the day (resets at midnight Los Angeles).
    case day
    /// Every usable project is cooling down after a real 429 from Gemini.
    case cooldown
    /// Every key is disabled (invalid or suspended): an operator must act.
    case allDisabled = "all_disabled"
}

/// The answer of ``QuotaLimiter/acquire(model:cost:images:)``.
public enum QuotaGrant: Sendable, Equatable {
    /// A slot was taken: call Gemini with `key` (of `project`). `grantID` is opaque; pass the
    /// grant back to ``QuotaLimiter/release(grant:)`` or ``QuotaLimiter/reportRateLimited(grant:quotaId:retryDelay:)``.
    case granted(key: GeminiKey, project: String, grantID: String)
    /// No slot now: try again at `until` (on this machine's clock). For `.allDisabled`,
    /// `until` is only a re-check time (keys come back when an operator enables them).
    case wait(until: Date, reason: QuotaWaitReason)

    /// The key, when granted.
    public var key: GeminiKey? {
        if case .granted(let key, _, _) = self { return key }
        return nil
    }

    /// The project, when granted.
    public var project: String? {
        if case .granted(_, let project, _) = self { return project }
        return nil
    }
}

/// The answer of ``QuotaLimiter/availability(cost:images:)``: what an acquire would answer, without taking anything.
public enum QuotaAvailability: Sendable, Equatable {
    /// A slot is free now, in `project`.
    case available(project: String)
    /// No slot until `until` (see ``QuotaGrant/wait(until:reason:)``).
    case wait(until: Date, reason: QuotaWaitReason)
}

/// What ``QuotaLimiter/reportRateLimited(grant:quotaId:retryDelay:)`` did, to log.
public struct QuotaCooldown: Sendable, Equatable {
    /// Which limit Gemini reported.
    public enum Scope: String, Sendable, Equatable {
        /// A per-minute quota: the project cools down for the retry delay (or one window).
        case minute
        /// A per-day quota: the project cools down until the next daily reset.
        case day
    }

    /// The project that cools down.
    public let project: String
    /// Label of the key that got the 429.
    public let keyLabel: String
    /// The limit reported.
    public let scope: Scope
    /// Gemini's `quotaId`, e.g. `GenerateRequestsPerDayPerProjectPerModel-FreeTier`.
    public let quotaId: String
    /// When the project may be used again (this machine's clock; an earlier, longer cool-down is kept).
    public let until: Date
}

/// A disabled key, from ``QuotaLimiter/disabledKeys()``.
public struct DisabledGeminiKey: Sendable, Equatable, Codable {
    /// The key's stable id (``GeminiKey/id``).
    public let keyID: String
    /// The key's label, e.g. `…a1b2`.
    public let label: String
    /// Its project.
    public let project: String
    /// Why it was disabled, e.g. `API_KEY_INVALID`.
    public let reason: String
    /// When it was disabled.
    public let since: Date
}
