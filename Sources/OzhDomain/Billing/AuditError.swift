import OzhSupport

/// Why ``MoneyAudit`` could not finish (problems in the data are not errors: they are the report).
public enum AuditError: CodedError, Equatable {
    /// MongoDB failed or did not answer; `reason` is the driver's message (it holds no credentials).
    case storeUnavailable(reason: String)
    /// The audit was asked for something it cannot do (e.g. a page size of 0).
    case invalidOptions(reason: String)

    public var code: String {
        switch self {
        case .storeUnavailable: return "audit_store_unavailable"
        case .invalidOptions: return "audit_invalid_options"
        }
    }

    public var message: String {
        switch self {
        case .storeUnavailable(let reason): return "MongoDB could not be read: \(reason)"
        case .invalidOptions(let reason): return "invalid audit options: \(reason)"
        }
    }
}
