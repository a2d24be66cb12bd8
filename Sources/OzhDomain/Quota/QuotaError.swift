import OzhRedis
import OzhSupport

/// Failures of the Gemini quota limiter, each with a stable code. No message contains a key.
public enum QuotaError: CodedError, Equatable {
    /// `GEMINI_API_KEYS_STR` holds no key.
    case noKeysConfigured
    /// A `project:key` entry names a project that is not 1-64 of `A-Z a-z 0-9 . _ -`.
    case invalidProjectName(String)
    /// An entry could not be read as a key.
    case invalidKeyEntry(String)
    /// The same key is listed under two projects.
    case duplicateKey(label: String)
    /// The key is not in this limiter's keyring.
    case unknownKey(label: String)
    /// An argument or a limit was rejected before anything was sent.
    case invalidArgument(String)
    /// Redis failed; the code is Redis' own.
    case redis(RedisError)
    /// A script answered something unexpected (or the server's clock is outside the day table).
    case unexpectedReply(String)

    public var code: String {
        switch self {
        case .noKeysConfigured: return "quota_no_keys"
        case .invalidProjectName: return "quota_invalid_project"
        case .invalidKeyEntry: return "quota_invalid_key_entry"
        case .duplicateKey: return "quota_duplicate_key"
        case .unknownKey: return "quota_unknown_key"
        case .invalidArgument: return "quota_invalid_argument"
        case .redis(let error): return error.code
        case .unexpectedReply: return "quota_unexpected_reply"
        }
    }

    public var message: String {
        switch self {
        case .noKeysConfigured: return "GEMINI_API_KEYS_STR holds no Gemini API key"
        case .invalidProjectName(let name):
            return "Gemini project name '\(name.prefix(64))' is invalid: use 1-64 of A-Z a-z 0-9 . _ -"
        case .invalidKeyEntry(let why): return "GEMINI_API_KEYS_STR: \(why)"
        case .duplicateKey(let label): return "Gemini key \(label) is listed under two projects"
        case .unknownKey(let label): return "Gemini key \(label) is not configured"
        case .invalidArgument(let why): return why
        case .redis(let error): return error.message
        case .unexpectedReply(let what): return "unexpected quota script reply: \(what)"
        }
    }
}
