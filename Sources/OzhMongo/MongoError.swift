import OzhSupport

/// Errors from the MongoDB layer, each with a stable `code`.
public enum MongoError: CodedError, Equatable {
    /// The connection string could not be parsed.
    case invalidURI
    /// No server could be reached (server selection timed out, connection refused, client shut down).
    case unavailable(String)
    /// A unique index rejected a write (server code 11000/11001).
    case duplicateKey(String)
    /// Any other error reported by the server or the driver.
    case server(code: Int, message: String)
    /// The requested GridFS file does not exist.
    case notFound
    /// A value could not be converted to BSON.
    case encoding(String)
    /// BSON could not be converted to the requested value.
    case decoding(String)

    /// Stable snake_case code.
    public var code: String {
        switch self {
        case .invalidURI: return "mongo_invalid_uri"
        case .unavailable: return "mongo_unavailable"
        case .duplicateKey: return "mongo_duplicate_key"
        case .server: return "mongo_server_error"
        case .notFound: return "mongo_not_found"
        case .encoding: return "bson_encoding"
        case .decoding: return "bson_decoding"
        }
    }

    /// Human-readable explanation (never contains credentials: URIs are not echoed).
    public var message: String {
        switch self {
        case .invalidURI: return "The MongoDB connection string is invalid"
        case .unavailable(let m): return "MongoDB is unavailable: \(m)"
        case .duplicateKey(let m): return "Duplicate key: \(m)"
        case .server(let code, let m): return "MongoDB error \(code): \(m)"
        case .notFound: return "GridFS file not found"
        case .encoding(let m): return "BSON encoding failed: \(m)"
        case .decoding(let m): return "BSON decoding failed: \(m)"
        }
    }

    /// `true` for `.duplicateKey`.
    public var isDuplicateKey: Bool {
        if case .duplicateKey = self { return true }
        return false
    }

    /// Server error codes that mean "duplicate key".
    static let duplicateKeyCodes: Set<Int> = [11000, 11001, 12582]
}
