import Foundation
import OzhSettings
import OzhSupport

/// Injected misbehaviour of the YooKassa emulator, set from the environment at start and by
/// `POST /_sandbox/yookassa/faults` at run time (partial updates).
struct YooKassaFaults: Sendable, Equatable {
    /// Delay before every `/v3` answer.
    var latencyMs = 0
    /// Every create stores the payment but answers 500 (result unknown).
    var failAfterCreate = false
    /// Only the next N creates do so.
    var failAfterCreateCount = 0
    /// Share of `/v3` calls answered 429 too_many_requests.
    var rateLimitRate = 0.0
    /// How many times each webhook is sent.
    var duplicateDeliveries = 1
    /// Webhooks are not sent at all.
    var dropWebhooks = false

    init() {}

    /// The `SANDBOX_YOOKASSA_*` fault variables.
    init(_ env: SettingsSource) throws(SettingsError) {
        latencyMs = try env.int("SANDBOX_YOOKASSA_LATENCY_MS", in: 0...600_000) ?? latencyMs
        failAfterCreate = try env.bool("SANDBOX_YOOKASSA_FAIL_AFTER_CREATE") ?? failAfterCreate
        failAfterCreateCount = try env.int("SANDBOX_YOOKASSA_FAIL_AFTER_CREATE_COUNT", in: 0...1_000_000) ?? failAfterCreateCount
        rateLimitRate = try env.double("SANDBOX_YOOKASSA_RATE_LIMIT_RATE", in: 0...1) ?? rateLimitRate
        duplicateDeliveries = try env.int("SANDBOX_YOOKASSA_DUPLICATE_DELIVERIES", in: 1...100) ?? duplicateDeliveries
        dropWebhooks = try env.bool("SANDBOX_YOOKASSA_DROP_WEBHOOKS") ?? dropWebhooks
    }

    /// Applies the fields present in a control-endpoint body; other fields keep their values.
    mutating func update(with object: [String: Any]) throws(FaultsError) {
        var next = self
        for (field, value) in object {
            switch field {
            case "latency_ms": next.latencyMs = try YooKassaJSON.integer(value, field, 0...600_000)
            case "fail_after_create": next.failAfterCreate = try YooKassaJSON.flag(value, field)
            case "fail_after_create_count": next.failAfterCreateCount = try YooKassaJSON.integer(value, field, 0...1_000_000)
            case "rate_limit_rate":
                guard let number = value as? NSNumber, !YooKassaJSON.isBool(number), (0...1).contains(number.doubleValue) else {
                    throw FaultsError("rate_limit_rate must be a number from 0 to 1")
                }
                next.rateLimitRate = number.doubleValue
            case "duplicate_deliveries": next.duplicateDeliveries = try YooKassaJSON.integer(value, field, 1...100)
            case "drop_webhooks": next.dropWebhooks = try YooKassaJSON.flag(value, field)
            default: throw FaultsError("unknown field '\(field)'")
            }
        }
        self = next
    }

    /// Whether the next create should answer 500; uses up one of `failAfterCreateCount`.
    mutating func takeCreateFailure() -> Bool {
        if failAfterCreateCount > 0 {
            failAfterCreateCount -= 1
            return true
        }
        return failAfterCreate
    }

    var json: JSONValue {
        .object([
            ("latency_ms", .int(Int64(latencyMs))), ("fail_after_create", .bool(failAfterCreate)),
            ("fail_after_create_count", .int(Int64(failAfterCreateCount))), ("rate_limit_rate", .double(rateLimitRate)),
            ("duplicate_deliveries", .int(Int64(duplicateDeliveries))), ("drop_webhooks", .bool(dropWebhooks)),
        ])
    }
}
