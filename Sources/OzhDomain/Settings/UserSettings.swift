import Foundation
import OzhSettings

/// How users are read and rewarded (``UserService``, ``UserCache``).
public struct UserSettings: Sendable, Equatable {
    /// `BONUS_TIME_ZONE`: where a "calendar day" for the daily bonus is (default Europe/Moscow).
    public var bonusTimeZone: TimeZone
    /// `last_activity_time` resolution in seconds (`ACTIVITY_RESOLUTION_S`, default 60): a read
    /// writes it only when it is at least this old.
    public var activityResolutionS: Int
    /// How long `GET /users/{chat_id}` may serve a user from its copy in Redis
    /// (`USER_CACHE_TTL_MS`, default 10000; 0 reads MongoDB every time). Every write of the
    /// user makes the copy stale at once (``UserCache``); this bounds only a lost invalidation.
    public var cacheTTLMS: Int

    /// Reads and validates the users' settings from `source`.
    public init(source: SettingsSource) throws(SettingsError) {
        let zone = source.string("BONUS_TIME_ZONE") ?? "Europe/Moscow"
        guard let timeZone = TimeZone(identifier: zone) else {
            throw .invalid(variable: "BONUS_TIME_ZONE", reason: "'\(zone)' is not an IANA time zone")
        }
        bonusTimeZone = timeZone
        activityResolutionS = try source.int("ACTIVITY_RESOLUTION_S", default: 60, in: 0...86_400)
        cacheTTLMS = try source.int("USER_CACHE_TTL_MS", default: 10_000, in: 0...3_600_000)
    }
}
