import Foundation
import OzhSettings

/// The YooKassa emulator's settings (`SANDBOX_YOOKASSA_*`).
struct YooKassaConfiguration: Sendable {
    /// `SANDBOX_YOOKASSA_SHOP_ID`; `nil` accepts any non-empty shop id.
    var shopId: String? = nil
    /// `SANDBOX_YOOKASSA_SECRET_KEY`; `nil` accepts any non-empty secret key.
    var secretKey: String? = nil
    /// `SANDBOX_YOOKASSA_WEBHOOK_URL`: where notifications go (also settable at run time).
    var webhookURL: String? = nil
    /// `SANDBOX_YOOKASSA_REDELIVERY_MS`: the pauses between delivery tries, in milliseconds
    /// (the real service makes 7 tries over 24 hours).
    var redeliveryMs = [1000, 2000, 4000, 8000, 16000, 32000]
    /// `SANDBOX_YOOKASSA_IDEMPOTENCE_TTL_MS`: how long an Idempotence-Key is remembered (24 h).
    var idempotenceTTL: Double = 86_400
    /// `SANDBOX_YOOKASSA_PUBLIC_URL`: the base of `confirmation_url`; by default the
    /// request's own `Host`.
    var publicURL: String? = nil
    /// `SANDBOX_YOOKASSA_STATE_FILE`: where payments and refunds are kept across restarts; none
    /// by default (the sandbox starts empty).
    var stateFile: String? = nil
    /// Faults active at start (`SANDBOX_YOOKASSA_LATENCY_MS`, `_FAIL_AFTER_CREATE`, ...).
    var faults = YooKassaFaults()

    init() {}

    init(_ env: SettingsSource) throws(SettingsError) {
        shopId = env.string("SANDBOX_YOOKASSA_SHOP_ID")
        secretKey = env.string("SANDBOX_YOOKASSA_SECRET_KEY")
        webhookURL = env.string("SANDBOX_YOOKASSA_WEBHOOK_URL")
        if let delays = env.listIfSet("SANDBOX_YOOKASSA_REDELIVERY_MS") {
            redeliveryMs = try delays.map { (text: String) throws(SettingsError) -> Int in
                guard let value = Int(text), (0...86_400_000).contains(value) else {
                    throw SettingsError.invalid(variable: "SANDBOX_YOOKASSA_REDELIVERY_MS", reason: "expected comma-separated milliseconds")
                }
                return value
            }
        }
        idempotenceTTL = try env.int("SANDBOX_YOOKASSA_IDEMPOTENCE_TTL_MS", in: 1...864_000_000).map { Double($0) / 1000 } ?? idempotenceTTL
        publicURL = env.string("SANDBOX_YOOKASSA_PUBLIC_URL").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        stateFile = env.string("SANDBOX_YOOKASSA_STATE_FILE")
        faults = try YooKassaFaults(env)
    }

    /// Whether `shop:secret` may call the API.
    func accepts(shopId: String, secretKey: String) -> Bool {
        guard !shopId.isEmpty, !secretKey.isEmpty else { return false }
        return (self.shopId.map { $0 == shopId } ?? true) && (self.secretKey.map { $0 == secretKey } ?? true)
    }
}
