import CMongoC
import Logging

/// Routes libmongoc's own log output (which otherwise goes to stderr, including DEBUG
/// lines such as failed heartbeats) into swift-log under the label `mongoc`.
enum MongoLog {
    /// The logger libmongoc messages are written to.
    static let logger = Logger(label: "mongoc")

    /// Installs the handler; called once, from `MongoClient`'s one-time initialization.
    static func install() {
        mongoc_log_set_handler(
            { level, domain, message, _ in
                let text = message.map { String(cString: $0) } ?? ""
                let source = domain.map { String(cString: $0) } ?? "mongoc"
                MongoLog.logger.log(
                    level: MongoLog.level(level), "\(text)", metadata: ["mongoc_domain": "\(source)"])
            }, nil)
    }

    private static func level(_ level: mongoc_log_level_t) -> Logger.Level {
        switch level {
        case MONGOC_LOG_LEVEL_ERROR: return .error
        case MONGOC_LOG_LEVEL_CRITICAL: return .critical
        case MONGOC_LOG_LEVEL_WARNING: return .warning
        case MONGOC_LOG_LEVEL_MESSAGE: return .notice
        case MONGOC_LOG_LEVEL_INFO: return .info
        case MONGOC_LOG_LEVEL_DEBUG: return .debug
        default: return .trace
        }
    }
}
