import Foundation

/// Calendar days in the bonus time zone (`BONUS_TIME_ZONE`, default Europe/Moscow).
public struct BonusCalendar: Sendable {
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    /// `yyyy-MM-dd` of `date` in the bonus time zone.
    public func day(of date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// The day before `date`'s day.
    public func previousDay(of date: Date) -> String {
        let start = calendar.startOfDay(for: date)
        return day(of: calendar.date(byAdding: .hour, value: -12, to: start)!)
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
