import HTTPTypes
import Hummingbird
import OzhDomain

/// How long a job-creating request (`POST /generate`, `create_payment`) waits for its job
/// before answering the `202`, and what to say about it.
///
/// In order: `?wait=S` (a bad one is `400 invalid_wait`); `Prefer: wait=N` (RFC 7240, capped at
/// ``BotSettings/maxSyncWaitS``, answered with `Preference-Applied: wait=N`); `Prefer:
/// respond-async` alone asks for the `202` at once, even with `GENERATE_SYNC_WAIT_S`; otherwise
/// `GENERATE_SYNC_WAIT_S` (0: no wait). A wait is a long poll: over `MAX_LONG_POLLS` the
/// request answers at once, without `Preference-Applied`.
struct SyncWait: Sendable, Equatable {
    /// How long to wait, nil for not at all.
    var duration: Duration?
    /// The `Preference-Applied` value when the wait came from `Prefer: wait=N`.
    var preferenceApplied: String?

    init(duration: Duration?, preferenceApplied: String? = nil) {
        self.duration = duration
        self.preferenceApplied = preferenceApplied
    }

    /// The wait `request` asks for, or the default `defaultSeconds` (`GENERATE_SYNC_WAIT_S`).
    init(_ request: Request, defaultSeconds: Int) throws {
        if let query = try JobsRoutes.waitDuration(request) {
            self.init(duration: query)
            return
        }
        self.init(preferences: Preferences(request.headers), defaultSeconds: defaultSeconds)
    }

    /// The wait `preferences` ask for, else `defaultSeconds`.
    init(preferences: Preferences, defaultSeconds: Int) {
        if let wait = preferences.wait {
            let seconds = min(wait, BotSettings.maxSyncWaitS)
            self.init(duration: seconds > 0 ? .seconds(seconds) : nil, preferenceApplied: seconds > 0 ? "wait=\(seconds)" : nil)
        } else if preferences.respondAsync {
            self.init(duration: nil, preferenceApplied: "respond-async")
        } else {
            self.init(duration: defaultSeconds > 0 ? .seconds(min(defaultSeconds, BotSettings.maxSyncWaitS)) : nil)
        }
    }

    /// `Preference-Applied` when a preference was honoured (`waited`: the long-poll caps let it wait).
    func headers(waited: Bool) -> HTTPFields {
        guard let preferenceApplied, waited || duration == nil else { return [:] }
        return [Preferences.applied: preferenceApplied]
    }
}
