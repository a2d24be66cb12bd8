import OzhQueue

extension JobKind where Payload == PaymentService.Order, Result == CreatedPayment {
    /// `create_payment` (queue `payment`): queued by `POST /payments`, run by ozh-payment-worker.
    /// The payload is written by `JSONEncoder()`, the result as `{"payment_url", "payment_id"}`.
    public static var createPayment: Self {
        JobKind("create_payment", queue: QueueNames.payment, result: .jsonValue { $0.json })
    }
}

extension JobKind where Payload == PaymentConfirmation, Result == PaymentCheck {
    /// `confirm_payment` (queue `payment`): re-reads a payment from YooKassa and settles it; queued
    /// by a notification (``NotificationInbox``) and by the worker's reconciliation.
    public static var confirmPayment: Self {
        JobKind("confirm_payment", queue: QueueNames.payment, payload: .jsonValue { $0.json }, result: .jsonValue { $0.json })
    }
}

extension JobKind where Payload == RefundConfirmation, Result == RefundCheck {
    /// `confirm_refund` (queue `payment`): re-reads a refund from YooKassa and takes its
    /// ozhivashki back; queued by a refund notification.
    public static var confirmRefund: Self {
        JobKind("confirm_refund", queue: QueueNames.payment, payload: .jsonValue { $0.json }, result: .jsonValue { $0.json })
    }
}
