extension JobKind where Payload == CallbackDelivery, Result == CallbackOutcome {
    /// `callback` (queue `callback`): one push of a job's state, queued when the job ends or reports
    /// progress, run by ozh-payment-worker's ``CallbackDeliverer``. The payload is written by
    /// `JSONEncoder()`, the result as `{"status": <receiver's HTTP status>, "attempts": n}`.
    public static var callback: Self {
        JobKind("callback", queue: QueueNames.callback, result: .jsonValue { $0.json })
    }
}
