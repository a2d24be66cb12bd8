import Foundation

/// Per-project request quotas like the free tier's: a sliding window of `window` seconds
/// holding at most `perMinute` accepted calls, and at most `perDay` accepted calls a day.
///
/// Only accepted calls count; a rejected call is an attempt (for the statistics) but
/// takes no slot. Times are seconds since 1970.
struct GeminiQuota: Sendable {
    /// Why a call was refused and when a slot frees.
    struct Violation: Error, Sendable, Equatable {
        enum Kind: Sendable { case minute, day }
        var kind: Kind
        var limit: Int
        /// Seconds until the call would be accepted.
        var retryAfter: Double
    }

    /// One project's recent calls.
    struct Usage: Sendable {
        var accepted: [Double] = []
        var attempts: [Double] = []
        var dayStart: Double = -1
        var today = 0
        var maxAcceptedInWindow = 0
        var maxAttemptsInWindow = 0
    }

    let perMinute: Int
    let perDay: Int
    let window: Double
    let dayLength: Double?
    private(set) var epoch: Double
    private(set) var usage: [String: Usage] = [:]

    init(perMinute: Int, perDay: Int, window: Double, dayLength: Double?, now: Double) {
        self.perMinute = perMinute
        self.perDay = perDay
        self.window = window
        self.dayLength = dayLength
        self.epoch = now
    }

    /// Records an attempt by `project` at `now`; returns nil when it was accepted (and counted).
    mutating func admit(_ project: String, now: Double) -> Violation? {
        var entry = usage[project] ?? Usage()
        defer { usage[project] = entry }
        let day = dayBounds(now)
        if entry.dayStart != day.start {
            entry.dayStart = day.start
            entry.today = 0
        }
        let horizon = now - window
        entry.accepted.removeFirst(entry.accepted.prefix { $0 <= horizon }.count)
        entry.attempts.removeFirst(entry.attempts.prefix { $0 <= horizon }.count)
        entry.attempts.append(now)
        entry.maxAttemptsInWindow = max(entry.maxAttemptsInWindow, entry.attempts.count)
        if entry.today >= perDay {
            return Violation(kind: .day, limit: perDay, retryAfter: max(0, day.end - now))
        }
        if entry.accepted.count >= perMinute {
            let oldest = entry.accepted[entry.accepted.count - perMinute]
            return Violation(kind: .minute, limit: perMinute, retryAfter: max(0, oldest + window - now))
        }
        entry.accepted.append(now)
        entry.today += 1
        entry.maxAcceptedInWindow = max(entry.maxAcceptedInWindow, entry.accepted.count)
        return nil
    }

    /// Forgets every project's calls; shortened days restart from `now`.
    mutating func reset(now: Double) {
        usage = [:]
        epoch = now
    }

    /// The day containing `now`: a `dayLength`-long period since `epoch`, or the Pacific day.
    func dayBounds(_ now: Double) -> (start: Double, end: Double) {
        if let dayLength {
            let start = epoch + (((now - epoch) / dayLength).rounded(.down)) * dayLength
            return (start, start + dayLength)
        }
        return PacificDay.bounds(containing: now)
    }
}

/// Days that end at midnight America/Los_Angeles, when Google's daily quotas reset.
enum PacificDay {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/Los_Angeles") ?? TimeZone(secondsFromGMT: -8 * 3600)!
        return calendar
    }()

    static func bounds(containing now: Double) -> (start: Double, end: Double) {
        let start = calendar.startOfDay(for: Date(timeIntervalSince1970: now))
        let end = calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400)
        return (start.timeIntervalSince1970.rounded(), end.timeIntervalSince1970.rounded()) // midnights are whole seconds
    }
}
