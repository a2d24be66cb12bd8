import Foundation
import OzhSettings
import OzhSupport

/// Injected misbehaviour, set from the environment at start and by
/// `POST /_sandbox/gemini/faults` at runtime.
///
/// `block` / `text_only` force every accepted call; `block_rate` / `text_only_rate` hit a
/// random share of them (a random block is of kind `block`, or `image` when `block` is null).
struct GeminiFaults: Sendable, Equatable {
    enum BlockKind: String, Sendable { case prompt, image }

    var latencyMs = 0
    var errorRate = 0.0
    var errorStatus = 503
    var block: BlockKind? = nil
    var blockRate = 0.0
    var textOnly = false
    var textOnlyRate = 0.0
    var invalidKeys: Set<String> = []
    var seed: UInt64 = 1

    init() {}

    /// The `SANDBOX_GEMINI_*` fault variables.
    init(_ env: SettingsSource) throws(SettingsError) {
        latencyMs = try env.int("SANDBOX_GEMINI_LATENCY_MS", in: 0...600_000) ?? latencyMs
        errorRate = try env.double("SANDBOX_GEMINI_ERROR_RATE", in: 0...1) ?? errorRate
        errorStatus = try env.int("SANDBOX_GEMINI_ERROR_STATUS", in: 500...503) ?? errorStatus
        guard [500, 503].contains(errorStatus) else {
            throw SettingsError.invalid(variable: "SANDBOX_GEMINI_ERROR_STATUS", reason: "expected 500 or 503")
        }
        if let text = env.string("SANDBOX_GEMINI_BLOCK") {
            guard let kind = BlockKind(rawValue: text) else {
                throw SettingsError.invalid(variable: "SANDBOX_GEMINI_BLOCK", reason: "expected prompt or image")
            }
            block = kind
        }
        blockRate = try env.double("SANDBOX_GEMINI_BLOCK_RATE", in: 0...1) ?? blockRate
        textOnly = try env.bool("SANDBOX_GEMINI_TEXT_ONLY") ?? textOnly
        textOnlyRate = try env.double("SANDBOX_GEMINI_TEXT_ONLY_RATE", in: 0...1) ?? textOnlyRate
        invalidKeys = Set(env.list("SANDBOX_GEMINI_INVALID_KEYS"))
        seed = try env.int("SANDBOX_GEMINI_SEED", in: 0...Int.max).map(UInt64.init) ?? seed
    }

    /// Applies the fields present in a control-endpoint body; other fields keep their values.
    mutating func update(with object: [String: Any]) throws(FaultsError) {
        var next = self
        for (field, value) in object {
            switch field {
            case "latency_ms": next.latencyMs = try Self.integer(value, field, 0...600_000)
            case "error_rate": next.errorRate = try Self.rate(value, field)
            case "error_status":
                let status = try Self.integer(value, field, 500...503)
                guard status == 500 || status == 503 else { throw FaultsError("error_status must be 500 or 503") }
                next.errorStatus = status
            case "block":
                if value is NSNull { next.block = nil; continue }
                guard let text = value as? String, let kind = BlockKind(rawValue: text) else {
                    throw FaultsError("block must be null, \"prompt\" or \"image\"")
                }
                next.block = kind
            case "block_rate": next.blockRate = try Self.rate(value, field)
            case "text_only":
                guard let flag = value as? Bool else { throw FaultsError("text_only must be true or false") }
                next.textOnly = flag
            case "text_only_rate": next.textOnlyRate = try Self.rate(value, field)
            case "invalid_keys":
                guard let keys = value as? [Any], keys.allSatisfy({ $0 is String }) else {
                    throw FaultsError("invalid_keys must be an array of strings")
                }
                next.invalidKeys = Set(keys.compactMap { $0 as? String })
            case "seed": next.seed = UInt64(try Self.integer(value, field, 0...Int.max))
            default: throw FaultsError("unknown field '\(field)'")
            }
        }
        self = next
    }

    /// The current faults as the control endpoint shows them (invalid keys by suffix only).
    var json: JSONValue {
        .object([
            ("latency_ms", .int(Int64(latencyMs))), ("error_rate", .double(errorRate)),
            ("error_status", .int(Int64(errorStatus))), ("block", .string(block?.rawValue)),
            ("block_rate", .double(blockRate)), ("text_only", .bool(textOnly)),
            ("text_only_rate", .double(textOnlyRate)),
            ("invalid_keys", .array(invalidKeys.sorted().map { .string(KeyRedaction.suffix($0)) })),
            ("seed", .int(Int64(bitPattern: seed))),
        ])
    }

    private static func integer(_ value: Any, _ field: String, _ range: ClosedRange<Int>) throws(FaultsError) -> Int {
        guard let number = value as? NSNumber, let double = Double(exactly: number.doubleValue),
            double.rounded() == double, let int = Int(exactly: double), range.contains(int)
        else {
            throw FaultsError("\(field) must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return int
    }

    private static func rate(_ value: Any, _ field: String) throws(FaultsError) -> Double {
        guard let number = value as? NSNumber, (0...1).contains(number.doubleValue) else {
            throw FaultsError("\(field) must be a number from 0 to 1")
        }
        return number.doubleValue
    }
}

/// A control-endpoint body that cannot be applied.
struct FaultsError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Keys appear in logs and control answers by their last four characters only.
enum KeyRedaction {
    static func suffix(_ key: String) -> String { "…" + key.suffix(4) }
}
