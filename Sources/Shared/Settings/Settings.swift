import Foundation

/// Every setting of the Ozhivlyator services, read once at start-up and validated.
///
/// Names follow the seed's `.env` (`MONGO_URI`, `REDIS_URL`, `API_KEY`, ...). A missing or
/// malformed value stops start-up with a ``SettingsError`` naming the variable.
public struct Settings: Sendable {
    /// `MONGO_URI`: where MongoDB is (required).
    public var mongoURI: String
    /// `MONGO_DB_NAME`: the database (default `ozhivlyator_db`).
    public var mongoDatabase: String
    /// `REDIS_URL`: where Redis is (required).
    public var redisURL: String
    /// `REDIS_PREFIX`: prefix of every Redis key (default `ozh:`).
    public var redisPrefix: String
    /// `API_KEY`: comma-separated keys the bot may send in the `api-key` header.
    public var apiKeys: [String]
    /// `GEMINI_API_KEYS_STR`: comma-separated Gemini keys (optionally `project:key`).
    public var geminiKeys: [String]
    /// `YOOKASSA_SHOP_ID` and `YOOKASSA_SECRET_KEY`.
    public var yookassaShopID: String?
    public var yookassaSecretKey: String?
    /// `TELEGRAM_BOT_USERNAME`: used for payment return URLs.
    public var telegramBotUsername: String?
    /// `LOGGING_ENABLED` (default true) and `LOG_LEVEL` (default `info`).
    public var loggingEnabled: Bool
    public var logLevel: String
    /// `HOST` (default `0.0.0.0`) and `PORT` (default 8000) of the gateway.
    public var host: String
    public var port: Int
    /// `BONUS_TIME_ZONE`: where a "calendar day" for the daily bonus is (default Europe/Moscow).
    public var bonusTimeZone: TimeZone
    /// `MAX_JSON_BODY_BYTES`: largest JSON body the gateway reads (default 64 KiB).
    public var maxJSONBodyBytes: Int

    /// Validates `source`; the first problem found is thrown.
    public init(source: SettingsSource) throws(SettingsError) {
        mongoURI = try source.required("MONGO_URI")
        guard mongoURI.hasPrefix("mongodb://") || mongoURI.hasPrefix("mongodb+srv://") else {
            throw .invalid(variable: "MONGO_URI", reason: "expected a mongodb:// or mongodb+srv:// URI")
        }
        mongoDatabase = source.string("MONGO_DB_NAME") ?? "ozhivlyator_db"
        guard mongoDatabase.range(of: #"^[A-Za-z0-9_-]{1,63}$"#, options: .regularExpression) != nil else {
            throw .invalid(variable: "MONGO_DB_NAME", reason: "use 1-63 letters, digits, _ or -")
        }
        redisURL = try source.required("REDIS_URL")
        do {
            _ = try RedisConfiguration(url: redisURL)
        } catch {
            throw .invalid(variable: "REDIS_URL", reason: error.message.replacingOccurrences(of: "REDIS_URL is invalid: ", with: ""))
        }
        redisPrefix = source.string("REDIS_PREFIX") ?? "ozh:"
        apiKeys = source.list("API_KEY")
        geminiKeys = source.list("GEMINI_API_KEYS_STR")
        yookassaShopID = source.string("YOOKASSA_SHOP_ID")
        yookassaSecretKey = source.string("YOOKASSA_SECRET_KEY")
        telegramBotUsername = source.string("TELEGRAM_BOT_USERNAME")
        loggingEnabled = try source.bool("LOGGING_ENABLED", default: true)
        logLevel = source.string("LOG_LEVEL")?.lowercased() ?? "info"
        guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel) else {
            throw .invalid(variable: "LOG_LEVEL", reason: "expected trace, debug, info, notice, warning, error or critical")
        }
        host = source.string("HOST") ?? "0.0.0.0"
        port = try source.int("PORT", default: 8000, in: 0...65535)
        let zone = source.string("BONUS_TIME_ZONE") ?? "Europe/Moscow"
        guard let timeZone = TimeZone(identifier: zone) else {
            throw .invalid(variable: "BONUS_TIME_ZONE", reason: "'\(zone)' is not an IANA time zone")
        }
        bonusTimeZone = timeZone
        maxJSONBodyBytes = try source.int("MAX_JSON_BODY_BYTES", default: 64 * 1024, in: 1024...(16 * 1024 * 1024))
    }

    /// The gateway cannot run without at least one `API_KEY`; each must be 16+ characters.
    public func requireAPIKeys() throws(SettingsError) {
        guard !apiKeys.isEmpty else { throw .missing(variable: "API_KEY") }
        guard apiKeys.allSatisfy({ $0.count >= 16 }) else {
            throw .invalid(variable: "API_KEY", reason: "every key must be at least 16 characters")
        }
    }
}
