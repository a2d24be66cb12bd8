import Foundation
import OzhQueue
import OzhSettings

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
    /// `METRICS_HOST` (default `0.0.0.0`) and `METRICS_PORT` (default 9091; 0 turns it off):
    /// a worker's small HTTP port with `/metrics`, `/health` and `/ready`.
    public var metricsHost: String
    public var metricsPort: Int
    /// `BONUS_TIME_ZONE`: where a "calendar day" for the daily bonus is (default Europe/Moscow).
    public var bonusTimeZone: TimeZone
    /// `MAX_JSON_BODY_BYTES`: largest JSON body the gateway reads (default 64 KiB).
    public var maxJSONBodyBytes: Int

    /// `GEMINI_BASE_URL` (default Google's), `GEMINI_MODEL`, `GEMINI_PROMPT`, `GEMINI_PROXY`.
    public var geminiBaseURL: String
    public var geminiModel: String
    public var geminiPrompt: String
    public var geminiProxy: String?
    /// `GEMINI_RPM`, `GEMINI_RPD` (per project), optional `GEMINI_IPM`, and `GEMINI_WINDOW_MS`
    /// (the "minute", shortened only in tests and benchmarks).
    public var geminiRPM: Int
    public var geminiRPD: Int
    public var geminiIPM: Int?
    public var geminiWindowMS: Int
    /// `GEMINI_WINDOW_MARGIN_MS`: how much longer than the window a call keeps counting (1500).
    public var geminiWindowMarginMS: Int
    /// `GEMINI_PROJECTS`: comma-separated project names (those of `GEMINI_API_KEYS_STR`'s
    /// `project:key` entries), so the gateway knows the quotas without the keys' secrets.
    public var geminiProjects: [String]
    /// `IMAGE_RETENTION_DAYS` (30; 0 keeps for ever): age after which a generation's drawing,
    /// images and record are deleted (a small tombstone stays), and `RETENTION_SWEEP_INTERVAL_MS`
    /// (1 h): how often the generation workers look for them.
    public var imageRetentionDays: Int
    public var retentionSweepIntervalMS: Int
    /// `MAX_ACTIVE_GENERATIONS`: unfinished generations per user (default 2).
    public var maxActiveGenerations: Int
    /// `last_activity_time` resolution in seconds (`ACTIVITY_RESOLUTION_S`, default 60): a read
    /// writes it only when it is at least this old.
    public var activityResolutionS: Int
    /// How long `GET /users/{chat_id}` may serve a user from its copy in Redis
    /// (`USER_CACHE_TTL_MS`, default 10000; 0 reads MongoDB every time). Every write of the
    /// user makes the copy stale at once (``UserCache``); this bounds only a lost invalidation.
    public var userCacheTTLMS: Int
    /// The gateway's cache of finished generations' `GET /jobs/{id}` answers (their images
    /// base64-encoded) and of their images: at most `JOB_CACHE_BYTES` (64 MiB) each, an entry
    /// kept for `JOB_CACHE_TTL_MS` (30000; 0 turns the cache off) before GridFS is read again.
    public var jobCacheBytes: Int
    public var jobCacheTTLMS: Int
    /// A generation postponed (waiting for quota) longer than this after it was accepted ends
    /// failed and refunded (`MAX_POSTPONE_HOURS`, default 24).
    public var maxPostponeHours: Int
    /// How often a worker heart-beats (`WORKER_HEARTBEAT_MS`, default 2000).
    public var workerHeartbeatMS: Int
    /// A worker silent this long is presumed dead and its jobs recovered (`WORKER_DEAD_AFTER_MS`,
    /// default 15000, at least 3 heartbeats).
    public var workerDeadAfterMS: Int
    /// How long in-flight jobs may run on after SIGTERM before they are given back
    /// (`WORKER_SHUTDOWN_DEADLINE_MS`, default 25000; keep it below the orchestrator's grace period).
    public var workerShutdownDeadlineMS: Int
    /// `MAX_UPLOAD_BYTES`: largest drawing accepted (default 10 MiB).
    public var maxUploadBytes: Int
    /// `IMAGE_MAX_SIDE`: the drawing is fitted inside this many pixels (default 1024).
    public var imageMaxSide: Int
    /// `MAIN_IMAGES`: images per generation before bonuses (default 4).
    public var mainImages: Int
    /// `WORKER_CONCURRENCY`: jobs one worker process runs at once (default 4).
    public var workerConcurrency: Int

    /// `YOOKASSA_BASE_URL` (default `https://api.yookassa.ru`).
    public var yookassaBaseURL: String
    /// `PACKS` (JSON list of `{name, ozhivashki, price_kopecks}`) and `DISCOUNT_PERCENT` (20).
    public var catalog: PackCatalog
    /// `YOOKASSA_WEBHOOK_IPS`: senders allowed to call the webhook (YooKassa's published ranges).
    public var webhookAllowedNetworks: [String]
    /// `TRUSTED_PROXIES`: peers whose `X-Forwarded-For` is believed (none by default).
    public var trustedProxies: [String]
    /// `YOOKASSA_RECEIPT_EMAIL` (a 54-FZ receipt is attached when set) and `YOOKASSA_VAT_CODE` (1).
    public var receiptEmail: String?
    public var receiptVATCode: Int
    /// `RECONCILE_INTERVAL_MS` (60 s) and `RECONCILE_AFTER_MS` (3 min): how often and after how
    /// long the payment worker re-reads payments still pending.
    public var reconcileIntervalMS: Int
    public var reconcileAfterMS: Int
    /// `RECONCILE_BACKOFF_MS` (10 min, 30 min, 1 h): the pauses between a pending payment's later
    /// re-reads, after the first one at `RECONCILE_AFTER_MS`; the last pause repeats.
    public var reconcileBackoffMS: [Int]
    /// `RECONCILE_PAGE_SIZE` (500): how many due payments one reconciliation query reads.
    public var reconcilePageSize: Int
    /// `RECONCILE_NOT_FOUND_LIMIT` (3): how many 404s from YooKassa mark a payment `unknown_at_provider`.
    public var reconcileNotFoundLimit: Int
    /// `PAYMENT_CONFIRMATION_EXPIRY_MS` (1 h, YooKassa's limit for card payments): after it, one
    /// last re-read and a still-pending payment is no longer re-read.
    public var paymentConfirmationExpiryMS: Int
    /// `WEBHOOK_RECHECK_MS` (60 s): how long a notification's re-read that still finds the payment
    /// (or refund) `pending` keeps re-reading on a short backoff.
    public var webhookRecheckMS: Int
    /// `REFUND_SWEEP_INTERVAL_MS` (60 s) and `REFUND_SWEEP_AFTER_MS` (15 min): how often the
    /// generation workers look for charges that can no longer finish, and how old such a charge
    /// must be before it is refunded.
    public var refundSweepIntervalMS: Int
    public var refundSweepAfterMS: Int
    /// `AUDIT_INTERVAL_S` (300): how often each generation worker runs the money audit for
    /// `ozh_audit_problems`; 0 turns it off.
    public var auditIntervalS: Int
    /// `USER_PAYMENTS_KEPT` (50): how many of a user's latest payments the user document's
    /// `yookassa_payments` keeps (the full history stays in `payments`).
    public var userPaymentsKept: Int
    /// The gateway's timeouts and limits at the edge (``EdgeSettings``).
    public var edge: EdgeSettings
    /// Push callbacks of finished jobs (``CallbackSettings``).
    public var callbacks: CallbackSettings
    /// What the gateway offers bot developers: drop-in waits and the ETA (``BotSettings``).
    public var bot: BotSettings

    /// The Gemini quota limits these settings describe.
    /// The job queue's settings (key prefix, heartbeat and dead-after).
    public var queueConfiguration: JobQueueConfiguration {
        JobQueueConfiguration(
            prefix: redisPrefix, heartbeatInterval: .milliseconds(workerHeartbeatMS),
            workerDeadAfter: .milliseconds(workerDeadAfterMS))
    }

    public var quotaLimits: QuotaLimits {
        QuotaLimits(
            rpm: geminiRPM, rpd: geminiRPD, ipm: geminiIPM, windowLength: .milliseconds(geminiWindowMS),
            safetyMargin: .milliseconds(geminiWindowMarginMS))
    }

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
        let redis = try RedisSettings(source: source)
        redisURL = redis.url
        redisPrefix = redis.prefix
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
        metricsHost = source.string("METRICS_HOST") ?? "0.0.0.0"
        metricsPort = try source.int("METRICS_PORT", default: 9091, in: 0...65535)
        let zone = source.string("BONUS_TIME_ZONE") ?? "Europe/Moscow"
        guard let timeZone = TimeZone(identifier: zone) else {
            throw .invalid(variable: "BONUS_TIME_ZONE", reason: "'\(zone)' is not an IANA time zone")
        }
        bonusTimeZone = timeZone
        geminiBaseURL = source.string("GEMINI_BASE_URL") ?? "https://generativelanguage.googleapis.com"
        guard geminiBaseURL.hasPrefix("http://") || geminiBaseURL.hasPrefix("https://") else {
            throw .invalid(variable: "GEMINI_BASE_URL", reason: "expected an http:// or https:// URL")
        }
        geminiModel = source.string("GEMINI_MODEL") ?? "gemini-2.5-flash-image"
        geminiPrompt =
            source.string("GEMINI_PROMPT")
            ?? "Bring this child's drawing to life: redraw it as a vivid, friendly, colourful illustration that keeps the child's characters, shapes and composition."
        geminiProxy = source.string("GEMINI_PROXY")
        geminiRPM = try source.int("GEMINI_RPM", default: 15, in: 1...100_000)
        geminiRPD = try source.int("GEMINI_RPD", default: 1500, in: 1...10_000_000)
        geminiIPM = source.string("GEMINI_IPM") == nil ? nil : try source.int("GEMINI_IPM", default: 0, in: 1...100_000)
        geminiWindowMS = try source.int("GEMINI_WINDOW_MS", default: 60_000, in: 100...3_600_000)
        geminiWindowMarginMS = try source.int("GEMINI_WINDOW_MARGIN_MS", default: 1_500, in: 0...600_000)
        geminiProjects = try Self.projectNames(source.list("GEMINI_PROJECTS"))
        imageRetentionDays = try source.int("IMAGE_RETENTION_DAYS", default: 30, in: 0...36_500)
        retentionSweepIntervalMS = try source.int("RETENTION_SWEEP_INTERVAL_MS", default: 3_600_000, in: 100...86_400_000)
        maxActiveGenerations = try source.int("MAX_ACTIVE_GENERATIONS", default: 2, in: 1...100)
        activityResolutionS = try source.int("ACTIVITY_RESOLUTION_S", default: 60, in: 0...86_400)
        userCacheTTLMS = try source.int("USER_CACHE_TTL_MS", default: 10_000, in: 0...3_600_000)
        jobCacheBytes = try source.int("JOB_CACHE_BYTES", default: 64 * 1024 * 1024, in: 0...(16 * 1024 * 1024 * 1024))
        jobCacheTTLMS = try source.int("JOB_CACHE_TTL_MS", default: 30_000, in: 0...3_600_000)
        maxPostponeHours = try source.int("MAX_POSTPONE_HOURS", default: 24, in: 1...720)
        workerHeartbeatMS = try source.int("WORKER_HEARTBEAT_MS", default: 2_000, in: 50...60_000)
        workerDeadAfterMS = try source.int("WORKER_DEAD_AFTER_MS", default: 15_000, in: 150...600_000)
        workerShutdownDeadlineMS = try source.int("WORKER_SHUTDOWN_DEADLINE_MS", default: 25_000, in: 0...600_000)
        guard workerDeadAfterMS >= 3 * workerHeartbeatMS else {
            throw .invalid(variable: "WORKER_DEAD_AFTER_MS", reason: "must be at least 3 × WORKER_HEARTBEAT_MS")
        }
        maxUploadBytes = try source.int("MAX_UPLOAD_BYTES", default: 10 * 1024 * 1024, in: 1024...(100 * 1024 * 1024))
        imageMaxSide = try source.int("IMAGE_MAX_SIDE", default: 1024, in: 64...4096)
        mainImages = try source.int("MAIN_IMAGES", default: 4, in: 1...10)
        workerConcurrency = try source.int("WORKER_CONCURRENCY", default: 4, in: 1...256)
        yookassaBaseURL = source.string("YOOKASSA_BASE_URL") ?? "https://api.yookassa.ru"
        guard yookassaBaseURL.hasPrefix("http://") || yookassaBaseURL.hasPrefix("https://") else {
            throw .invalid(variable: "YOOKASSA_BASE_URL", reason: "expected an http:// or https:// URL")
        }
        var packs = PackCatalog.defaultPacks
        if let json = source.string("PACKS") {
            guard let decoded = try? JSONDecoder().decode([Pack].self, from: Data(json.utf8)), !decoded.isEmpty,
                decoded.allSatisfy({ $0.ozhivashki > 0 && $0.priceKopecks > 0 && !$0.name.isEmpty })
            else {
                throw .invalid(variable: "PACKS", reason: "expected a JSON list of {name, ozhivashki, price_kopecks} with positive numbers")
            }
            packs = decoded
        }
        catalog = PackCatalog(packs: packs, discountPercent: try source.int("DISCOUNT_PERCENT", default: 20, in: 0...90))
        webhookAllowedNetworks = source.string("YOOKASSA_WEBHOOK_IPS") == nil ? IPRanges.yookassa : source.list("YOOKASSA_WEBHOOK_IPS")
        trustedProxies = source.list("TRUSTED_PROXIES")
        for network in webhookAllowedNetworks + trustedProxies where IPRange(network) == nil {
            throw .invalid(
                variable: webhookAllowedNetworks.contains(network) ? "YOOKASSA_WEBHOOK_IPS" : "TRUSTED_PROXIES",
                reason: "'\(network)' is not an IP address or CIDR range")
        }
        receiptEmail = source.string("YOOKASSA_RECEIPT_EMAIL")
        receiptVATCode = try source.int("YOOKASSA_VAT_CODE", default: 1, in: 1...12)
        reconcileIntervalMS = try source.int("RECONCILE_INTERVAL_MS", default: 60_000, in: 100...3_600_000)
        reconcileAfterMS = try source.int("RECONCILE_AFTER_MS", default: 180_000, in: 0...86_400_000)
        reconcileBackoffMS = try Self.milliseconds(source, "RECONCILE_BACKOFF_MS", default: [600_000, 1_800_000, 3_600_000])
        reconcilePageSize = try source.int("RECONCILE_PAGE_SIZE", default: 500, in: 1...10_000)
        reconcileNotFoundLimit = try source.int("RECONCILE_NOT_FOUND_LIMIT", default: 3, in: 1...100)
        paymentConfirmationExpiryMS = try source.int("PAYMENT_CONFIRMATION_EXPIRY_MS", default: 3_600_000, in: 1_000...30 * 86_400_000)
        webhookRecheckMS = try source.int("WEBHOOK_RECHECK_MS", default: 60_000, in: 0...3_600_000)
        refundSweepIntervalMS = try source.int("REFUND_SWEEP_INTERVAL_MS", default: 60_000, in: 100...3_600_000)
        refundSweepAfterMS = try source.int("REFUND_SWEEP_AFTER_MS", default: 900_000, in: 1_000...7 * 86_400_000)
        auditIntervalS = try source.int("AUDIT_INTERVAL_S", default: 300, in: 0...86_400)
        maxJSONBodyBytes = try source.int("MAX_JSON_BODY_BYTES", default: 64 * 1024, in: 1024...(16 * 1024 * 1024))
        userPaymentsKept = try source.int("USER_PAYMENTS_KEPT", default: 50, in: 1...10_000)
        edge = try EdgeSettings(source: source)
        callbacks = try CallbackSettings(source: source)
        bot = try BotSettings(source: source)
    }

    /// The gateway cannot run without at least one `API_KEY`; each must be 16+ characters.
    public func requireAPIKeys() throws(SettingsError) {
        guard !apiKeys.isEmpty else { throw .missing(variable: "API_KEY") }
        guard apiKeys.allSatisfy({ $0.count >= 16 }) else {
            throw .invalid(variable: "API_KEY", reason: "every key must be at least 16 characters")
        }
    }
}
