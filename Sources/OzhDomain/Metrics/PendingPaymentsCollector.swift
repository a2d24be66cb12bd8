import Foundation
import OzhObservability

/// `ozh_payments_pending`, `ozh_payments_pending_oldest_age_seconds` (0 when none) and
/// `ozh_payments_unknown_at_provider`, read from the `payments` collection at scrape time, so
/// "a payment pending too long" can alert and payments YooKassa does not know stay visible.
public struct PendingPaymentsCollector: MetricsCollector {
    static let pending = GaugeFamily(
        "ozh_payments_pending", "Payments waiting in YooKassa status pending or waiting_for_capture.", labels: [])
    static let oldestAge = GaugeFamily(
        "ozh_payments_pending_oldest_age_seconds", "Age of the oldest pending payment in seconds (0 when none).", labels: [])
    static let unknownAtProvider = GaugeFamily(
        "ozh_payments_unknown_at_provider", "Payments marked unknown_at_provider (YooKassa answered 404 repeatedly).", labels: [])

    /// Where payments are.
    public let service: PaymentService
    public var name: String { "pending_payments" }

    /// Reads `service`'s payments.
    public init(service: PaymentService) {
        self.service = service
    }

    public func collect() async throws {
        let summary = try await service.pendingSummary()
        Self.pending.with().set(to: Double(summary.count))
        let age = summary.oldestCreatedAt.map { max(0, Date().timeIntervalSince($0)) } ?? 0
        Self.oldestAge.with().set(to: age)
        Self.unknownAtProvider.with().set(to: Double(try await service.unknownAtProviderCount()))
    }
}
