import Foundation

/// Gemini's quota day: it ends at midnight America/Los_Angeles (PST or PDT).
public enum QuotaDay {
    /// The zone whose midnight resets daily quotas.
    public static let timeZone = TimeZone(identifier: "America/Los_Angeles")!

    private static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The start (midnight Los Angeles) of the quota day containing `date`.
    public static func start(of date: Date) -> Date { calendar.startOfDay(for: date) }

    /// The next daily reset after `date`: the following midnight in Los Angeles
    /// (23 or 25 hours away on the days daylight saving time starts or ends).
    public static func nextReset(after date: Date) -> Date {
        let calendar = self.calendar
        let start = calendar.startOfDay(for: date)
        return calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400)
    }

    /// The Los Angeles date of `date` as `yyyy-mm-dd` (names the day's Redis counter).
    public static func label(of date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// Day boundaries around `date` for the scripts, which pick the day from Redis' own clock:
    /// `labels[i]` runs from `bounds[i]` (ms) to `bounds[i + 1]`. Covers from the day before
    /// `date` to the day after, so a server clock up to a day off still finds its day.
    static func table(around date: Date) -> (bounds: [Int64], labels: [String]) {
        var day = start(of: start(of: date).addingTimeInterval(-3600))
        var bounds: [Int64] = []
        var labels: [String] = []
        for _ in 0..<3 {
            bounds.append(Int64((day.timeIntervalSince1970 * 1000).rounded()))
            labels.append(label(of: day.addingTimeInterval(3600)))
            day = nextReset(after: day.addingTimeInterval(3600))
        }
        bounds.append(Int64((day.timeIntervalSince1970 * 1000).rounded()))
        return (bounds, labels)
    }
}
