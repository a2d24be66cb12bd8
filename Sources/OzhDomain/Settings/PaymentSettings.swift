import Foundation
import OzhSettings

/// What is sold and how a purchase is recorded.
public struct PaymentSettings: Sendable {
    /// `PACKS` (JSON list of `{name, ozhivashki, price_kopecks}`) and `DISCOUNT_PERCENT` (20).
    public var catalog: PackCatalog
    /// `TELEGRAM_BOT_USERNAME`: where a paid payment returns the user (`https://t.me/<name>`).
    public var telegramBotUsername: String?
    /// `USER_PAYMENTS_KEPT` (50): how many of a user's latest payments the user document's
    /// `yookassa_payments` keeps (the full history stays in `payments`).
    public var userPaymentsKept: Int

    /// Reads and validates the payment settings from `source`.
    public init(source: SettingsSource) throws(SettingsError) {
        telegramBotUsername = source.string("TELEGRAM_BOT_USERNAME")
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
        userPaymentsKept = try source.int("USER_PAYMENTS_KEPT", default: 50, in: 1...10_000)
    }
}
