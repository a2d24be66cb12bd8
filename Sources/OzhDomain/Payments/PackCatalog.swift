import Foundation

/// A pack of ozhivashki that can be bought.
public struct Pack: Codable, Sendable, Equatable {
    /// The name the bot sends as `item_name`, e.g. `Пакет '10 Оживашек'`.
    public var name: String
    public var ozhivashki: Int64
    /// Price in kopecks (100.00 RUB = 10000).
    public var priceKopecks: Int64

    enum CodingKeys: String, CodingKey {
        case name, ozhivashki
        case priceKopecks = "price_kopecks"
    }

    public init(name: String, ozhivashki: Int64, priceKopecks: Int64) {
        self.name = name
        self.ozhivashki = ozhivashki
        self.priceKopecks = priceKopecks
    }
}

/// The packs on sale (`PACKS` as JSON, or the defaults) and the discount that applies while a
/// user's `discount_offered` is true (`DISCOUNT_PERCENT`).
public struct PackCatalog: Sendable, Equatable {
    public var packs: [Pack]
    public var discountPercent: Int

    public static let defaultPacks = [
        Pack(name: "Пакет '10 Оживашек'", ozhivashki: 10, priceKopecks: 10_000),
        Pack(name: "Пакет '30 Оживашек'", ozhivashki: 30, priceKopecks: 25_000),
        Pack(name: "Пакет '100 Оживашек'", ozhivashki: 100, priceKopecks: 70_000),
    ]

    public init(packs: [Pack] = PackCatalog.defaultPacks, discountPercent: Int = 20) {
        self.packs = packs
        self.discountPercent = discountPercent
    }

    /// The pack named `name`.
    public func pack(named name: String) -> Pack? { packs.first { $0.name == name } }

    /// What `quantity` packs cost, with the discount when `discounted`.
    public func priceKopecks(of pack: Pack, quantity: Int, discounted: Bool) -> Int64 {
        let full = pack.priceKopecks * Int64(quantity)
        guard discounted, discountPercent > 0 else { return full }
        return (full * Int64(100 - discountPercent) + 50) / 100
    }

    /// Kopecks as YooKassa's two-decimal string: 10000 → "100.00".
    public static func format(kopecks: Int64) -> String {
        String(format: "%lld.%02lld", kopecks / 100, kopecks % 100)
    }

    /// "100.00" → 10000; nil for anything but a positive amount with at most two decimals.
    public static func kopecks(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), whole >= 0, parts[0].allSatisfy(\.isNumber) else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            guard (1...2).contains(parts[1].count), parts[1].allSatisfy(\.isNumber), let value = Int64(parts[1]) else { return nil }
            cents = parts[1].count == 1 ? value * 10 : value
        }
        // Checked arithmetic: "99999999999999999" must be refused, not trap.
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: 100)
        guard !overflow, scaled <= Int64.max - cents else { return nil }
        return scaled + cents
    }
}
