/// One reply from Redis, copied out of hiredis' `redisReply` so no C memory outlives the call.
public enum RedisReply: Sendable, Equatable {
    /// A simple string such as `OK` or `QUEUED`.
    case status(String)
    /// An error reply (`-ERR ...`, `-NOSCRIPT ...`); commands surface it as ``RedisError/server(_:)``.
    case error(String)
    /// An integer reply.
    case integer(Int64)
    /// A bulk string, kept as bytes (it may be binary).
    case bulk([UInt8])
    /// The null bulk string or null array.
    case null
    /// A multi-bulk reply.
    case array([RedisReply])

    /// The reply as text: bulk strings and status replies, and integers in decimal.
    public var string: String? {
        switch self {
        case .bulk(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .status(let text): return text
        case .integer(let value): return String(value)
        default: return nil
        }
    }

    /// The reply as an integer: integer replies and bulk strings holding a decimal number.
    public var int: Int64? {
        switch self {
        case .integer(let value): return value
        case .bulk, .status: return string.flatMap { Int64($0) }
        default: return nil
        }
    }

    /// The elements of an array reply (an empty array for null).
    public var array: [RedisReply]? {
        switch self {
        case .array(let items): return items
        case .null: return []
        default: return nil
        }
    }

    /// True for the null reply.
    public var isNull: Bool { self == .null }

    /// An array of field/value pairs (HGETALL, CONFIG GET) as a dictionary.
    public var pairs: [String: String] {
        guard let items = array else { return [:] }
        var result: [String: String] = [:]
        var index = 0
        while index + 1 < items.count {
            if let key = items[index].string { result[key] = items[index + 1].string ?? "" }
            index += 2
        }
        return result
    }
}
