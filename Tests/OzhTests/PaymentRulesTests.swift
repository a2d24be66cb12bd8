import Foundation
import Testing

@testable import OzhDomain

@Suite("Payment rules")
struct PaymentRulesTests {
    @Test func moneyIsKopecksNotFloats() {
        #expect(PackCatalog.kopecks("100.00") == 10_000)
        #expect(PackCatalog.kopecks("0.5") == 50)
        #expect(PackCatalog.kopecks("12") == 1_200)
        for bad in ["", "-1.00", "1.234", "1,00", "abc", "1.", ".5", "1e3"] { #expect(PackCatalog.kopecks(bad) == nil, "\(bad)") }
        // Amounts past Int64 kopecks are refused, not a trap.
        #expect(PackCatalog.kopecks("92233720368547758.07") == Int64.max)
        for huge in ["92233720368547758.08", "99999999999999999", "9223372036854775807"] { #expect(PackCatalog.kopecks(huge) == nil, "\(huge)") }
        #expect(PackCatalog.format(kopecks: 10_000) == "100.00")
        #expect(PackCatalog.format(kopecks: 8_005) == "80.05")
        let catalog = PackCatalog()
        let pack = catalog.pack(named: "Пакет '10 Оживашек'")!
        #expect(catalog.priceKopecks(of: pack, quantity: 3, discounted: false) == 30_000)
        #expect(catalog.priceKopecks(of: pack, quantity: 3, discounted: true) == 24_000)
    }

    @Test func senderRanges() {
        let ranges = IPRanges.yookassa.compactMap(IPRange.init)
        #expect(ranges.count == IPRanges.yookassa.count)
        for inside in ["185.71.76.1", "185.71.77.31", "77.75.156.11", "77.75.154.200", "2a02:5180::1", "::ffff:185.71.76.2"] {
            #expect(ranges.contains { $0.contains(inside) }, "\(inside)")
        }
        for outside in ["185.71.76.32", "77.75.156.12", "127.0.0.1", "2a02:5181::1", "garbage"] {
            #expect(!ranges.contains { $0.contains(outside) }, "\(outside)")
        }
        #expect(IPRange("10.0.0.0/33") == nil)
        #expect(IPRange("nonsense") == nil)
    }
}
