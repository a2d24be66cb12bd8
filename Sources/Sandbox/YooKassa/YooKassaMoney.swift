import Foundation

/// An amount in kopecks, read from and written as YooKassa's two-decimal strings ("100.00").
/// Amounts are never floating point.
struct YooKassaMoney: Sendable, Equatable, Comparable {
    var kopecks: Int

    /// Parses "123.45": digits, a point, exactly two digits; at most 12 digits before the point.
    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...12).contains(parts[0].count), parts[1].count == 2,
            parts[0].allSatisfy(\.isASCIIDigit), parts[1].allSatisfy(\.isASCIIDigit),
            let rubles = Int(parts[0]), let cents = Int(parts[1])
        else { return nil }
        kopecks = rubles * 100 + cents
    }

    init(kopecks: Int) { self.kopecks = kopecks }

    /// "1234.50".
    var text: String {
        let cents = kopecks % 100
        return "\(kopecks / 100)." + (cents < 10 ? "0" : "") + "\(cents)"
    }

    /// What the shop gets after YooKassa's fee (3.5 %, rounded half up, in kopecks).
    var income: YooKassaMoney {
        YooKassaMoney(kopecks: kopecks - (kopecks * 35 + 500) / 1000)
    }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.kopecks < rhs.kopecks }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
