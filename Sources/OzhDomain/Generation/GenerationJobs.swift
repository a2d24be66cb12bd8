import OzhQueue

extension JobKind where Payload == GenerationPayload, Result == GenerationResult {
    /// `generation` (queue `generation`): queued by `POST /generate`, run by ozh-generation-worker.
    /// Payload and result are written by `JSONEncoder()`.
    public static var generation: Self { JobKind("generation", queue: QueueNames.generation) }
}
