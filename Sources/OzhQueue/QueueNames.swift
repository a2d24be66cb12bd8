/// The queues the services use (each has its keys under `<prefix>queue:<name>` and friends).
public enum QueueNames {
    /// Image generation jobs (taken by ozh-generation-worker).
    public static let generation = "generation"
    /// Payment creation and confirmation jobs (taken by ozh-payment-worker).
    public static let payment = "payment"
    /// Push-callback deliveries (taken by ozh-payment-worker, see README "Operating the queues").
    public static let callback = "callback"
    /// Every queue, for operators' overviews.
    public static let all = [generation, payment, callback]
}
