/// The payload of one delivery job (queue `callback`, kind `callback`): which job's state to push,
/// for which event, and where. Its job id is `cb.<job_id>.<event>`, so an event is queued once
/// however often its enqueue is retried, and the Standard Webhooks `webhook-id` is
/// `<job_id>.<event>`, the same for every attempt.
public struct CallbackDelivery: Sendable, Codable, Equatable {
    /// The job whose `GET /jobs/{id}` body is pushed.
    public var jobID: String
    /// `succeeded`, `failed`, or `progress.<images done>`.
    public var event: String
    /// The receiver (copied from the job when the event was queued).
    public var url: String

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id", event, url
    }

    /// Creates a delivery.
    public init(jobID: String, event: String, url: String) {
        self.jobID = jobID
        self.event = event
        self.url = url
    }

    /// The Standard Webhooks message id: stable across the attempts of one event.
    public var webhookID: String { "\(jobID).\(event)" }

    /// The delivery job's id.
    public var deliveryJobID: String { "cb.\(jobID).\(event)" }

    /// Whether the event is the job's end (its state is then what `GET /jobs` shows as `callback`).
    public var isFinal: Bool { !event.hasPrefix("progress") }
}
