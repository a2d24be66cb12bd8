import OzhSupport

/// What happened to the calls, per project and per key, for `GET /_sandbox/gemini/stats`.
struct GeminiStats: Sendable {
    /// How one call ended.
    enum Outcome: Sendable {
        case image, textOnly, blocked, rateLimited, error
    }

    struct Counters: Sendable {
        var calls = 0
        var ok = 0
        var images = 0
        var blocked = 0
        var textOnly = 0
        var rateLimited = 0
        var overLimitAttempts = 0
        var errors = 0

        mutating func count(_ outcome: Outcome) {
            calls += 1
            switch outcome {
            case .image: ok += 1; images += 1
            case .textOnly: ok += 1; textOnly += 1
            case .blocked: ok += 1; blocked += 1
            case .rateLimited: rateLimited += 1; overLimitAttempts += 1
            case .error: errors += 1
            }
        }

        var json: [(String, JSONValue)] {
            [
                ("calls", .int(Int64(calls))), ("ok", .int(Int64(ok))), ("images", .int(Int64(images))),
                ("blocked", .int(Int64(blocked))), ("text_only", .int(Int64(textOnly))),
                ("rate_limited", .int(Int64(rateLimited))), ("over_limit_attempts", .int(Int64(overLimitAttempts))),
                ("errors", .int(Int64(errors))),
            ]
        }
    }

    private(set) var projects: [String: Counters] = [:]
    private(set) var projectKeys: [String: Set<String>] = [:]
    private(set) var keys: [String: Counters] = [:]
    /// Every generateContent request, including those without a usable key.
    private(set) var totalCalls = 0
    /// Requests refused before a project was known (no key, unknown key, unknown model).
    private(set) var unauthenticated = 0

    /// Counts a request that never reached a project.
    mutating func countRefused() {
        totalCalls += 1
        unauthenticated += 1
    }

    /// Counts a call of `key` (in `project`) that ended with `outcome`.
    mutating func count(_ outcome: Outcome, project: String, key: String) {
        totalCalls += 1
        projects[project, default: Counters()].count(outcome)
        keys[key, default: Counters()].count(outcome)
        projectKeys[project, default: []].insert(key)
    }

    /// The statistics body; window maxima come from the quota's bookkeeping.
    func json(quota: GeminiQuota) -> JSONValue {
        let projectFields: [(String, JSONValue)] = projects.keys.sorted().map { name in
            let usage = quota.usage[name]
            var fields = projects[name]!.json
            fields.append(("max_calls_in_any_window", .int(Int64(usage?.maxAcceptedInWindow ?? 0))))
            fields.append(("max_attempts_in_any_window", .int(Int64(usage?.maxAttemptsInWindow ?? 0))))
            fields.append(("calls_today", .int(Int64(usage?.today ?? 0))))
            fields.append(("keys", .array((projectKeys[name] ?? []).sorted().map(JSONValue.string))))
            return (name, .object(fields))
        }
        let keyFields: [(String, JSONValue)] = keys.keys.sorted().map { ($0, .object(keys[$0]!.json)) }
        return .object([
            ("projects", .object(projectFields)),
            ("keys", .object(keyFields)),
            ("total_calls", .int(Int64(totalCalls))),
            ("unauthenticated_calls", .int(Int64(unauthenticated))),
            (
                "limits",
                .object([
                    ("rpm", .int(Int64(quota.perMinute))), ("rpd", .int(Int64(quota.perDay))),
                    ("window_ms", .int(Int64((quota.window * 1000).rounded()))),
                    ("day_ms", .int(quota.dayLength.map { Int64(($0 * 1000).rounded()) })),
                ])
            ),
        ])
    }
}
