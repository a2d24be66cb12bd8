import OzhSupport

/// A setting that stops start-up: missing, or present but malformed.
public enum SettingsError: CodedError, Equatable {
    /// A required variable is not set (or is empty).
    case missing(variable: String)
    /// A variable is set but its value is not acceptable; `reason` never repeats the value.
    case invalid(variable: String, reason: String)

    public var code: String {
        switch self {
        case .missing: return "setting_missing"
        case .invalid: return "setting_invalid"
        }
    }

    public var message: String {
        switch self {
        case .missing(let variable): return "\(variable) is not set"
        case .invalid(let variable, let reason): return "\(variable) is invalid: \(reason)"
        }
    }
}
