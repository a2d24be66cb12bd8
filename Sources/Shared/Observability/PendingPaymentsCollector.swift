import Foundation

/// `ozh_payments_pending` and `ozh_payments_pending_oldest_age_seconds` (0 when none), read
/// from the `payments` collection at scrape time, so "a payment pending too long" can alert.
public struct PendingPaymentsCollector: MetricsCollector {
    static let pending = GaugeFamily(
        "ozh_payments_pending", "Payments waiting in YooKassa status pending or waiting_for_capture.", labels: [])
    static let oldestAge = GaugeFamily(
        "ozh_payments_pending_oldest_age_seconds", "Age of the oldest pending payment in seconds (0 when none).", labels: [])

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
    }
}
