import Foundation
import Testing

@testable import OzhDomain

/// The daily bonus's days: calendar days in the bonus time zone, not in UTC.
@Suite("Bonus calendar days")
struct BonusCalendarTests {
    static let moscow = BonusCalendar(timeZone: TimeZone(identifier: "Europe/Moscow")!)
    static let losAngeles = BonusCalendar(timeZone: TimeZone(identifier: "America/Los_Angeles")!)

    @Test func aDayEndsAtMidnightInTheBonusTimeZone() {
        // 2026-01-01 20:59:59 UTC is 23:59:59 in Moscow (UTC+3); a second later it is the 2nd.
        #expect(Self.moscow.day(of: Date(timeIntervalSince1970: 1_767_301_199)) == "2026-01-01")
        #expect(Self.moscow.day(of: Date(timeIntervalSince1970: 1_767_301_200)) == "2026-01-02")
    }

    @Test func thePreviousDayCrossesMonthAndYear() {
        #expect(Self.moscow.previousDay(of: Date(timeIntervalSince1970: 1_767_301_200)) == "2026-01-01")
        #expect(Self.moscow.previousDay(of: Date(timeIntervalSince1970: 1_767_301_199)) == "2025-12-31")
    }

    @Test func daysOf23And25HoursHaveOnePreviousDay() {
        // 2026-03-08 03:30 PDT, just after the spring change; 2026-11-01 00:30 PDT, before the fall one.
        #expect(Self.losAngeles.day(of: Date(timeIntervalSince1970: 1_772_965_800)) == "2026-03-08")
        #expect(Self.losAngeles.previousDay(of: Date(timeIntervalSince1970: 1_772_965_800)) == "2026-03-07")
        #expect(Self.losAngeles.day(of: Date(timeIntervalSince1970: 1_793_518_200)) == "2026-11-01")
        #expect(Self.losAngeles.previousDay(of: Date(timeIntervalSince1970: 1_793_518_200)) == "2026-10-31")
    }
}
