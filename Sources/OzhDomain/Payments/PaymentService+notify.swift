import Foundation

extension PaymentService {
    /// What a YooKassa notification led to.
    public enum Notified: Sendable, Equatable {
        /// The payment is not one this service created: dropped.
        case unknownPayment
        /// A re-read job was queued (``NotificationInbox/Outcome/queued(_:)``) or joined.
        case submitted(NotificationInbox.Outcome)
    }

    /// The gateway's half of confirming from a notification the route has checked: for a payment
    /// of ours, submits to `inbox` a `confirm_refund` job (a `refund` notification, for refund
    /// `objectID`) or a `confirm_payment` job (source `webhook`), which re-reads YooKassa before acting.
    public func notify(paymentID: String, objectID: String, isRefund: Bool, inbox: NotificationInbox) async throws -> Notified {
        guard try await isOurs(paymentID) else { return .unknownPayment }
        return .submitted(
            isRefund
                ? try await inbox.submit(.confirmRefund, subject: "refund-\(objectID)", payload: RefundConfirmation(refundID: objectID))
                : try await inbox.submit(.confirmPayment, subject: paymentID, payload: PaymentConfirmation(paymentID: paymentID, source: "webhook")))
    }
}
