import Testing

@testable import APIGateway
@testable import OzhDomain

/// `create_payment`'s Idempotency-Key fingerprint: the same order gives the same fingerprint in
/// every encoding and every gateway process (a retry may reach another replica), and any field
/// that changes the order changes it.
@Suite("Payment idempotency fingerprint")
struct PaymentFingerprintTests {
    static let order = PaymentService.Order(chatID: 17, item: "Пакет '10 Оживашек'", quantity: 1, ozhivashki: 10, amountKopecks: 10_000)

    @Test func theSameOrderAlwaysGivesTheSameFingerprint() {
        let first = PaymentService.fingerprint(Self.order)
        for _ in 0..<100 { #expect(PaymentService.fingerprint(Self.order) == first) }
        // Pinned (worked out by hand from the FNV-1a definition): a process started later, or
        // another replica, computes the same value.
        #expect(first == "2d0083424de2203f2aa2d0e2d008b265")
    }

    @Test func everyFieldOfTheOrderCounts() {
        let base = Self.order
        var variants: [PaymentService.Order] = []
        var o = base; o.chatID = 18; variants.append(o)
        o = base; o.item = "other"; variants.append(o)
        o = base; o.quantity = 2; variants.append(o)
        o = base; o.ozhivashki = 11; variants.append(o)
        o = base; o.amountKopecks = 9_000; variants.append(o)
        let prints = Set(([base] + variants).map(PaymentService.fingerprint))
        #expect(prints.count == variants.count + 1)
    }
}
