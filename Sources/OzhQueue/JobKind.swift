/// A job kind, declared once: its name (the `kind` field of the job record), the queue its jobs
/// go to when that is fixed, and the Codable types of its payload and result with the exact
/// JSON text each is stored as (the record's `payload` and `result` fields).
///
/// Enqueuers (``JobQueue/enqueue(_:queue:payload:chatID:maxAttempts:id:fields:)``) and handlers
/// (``WorkerRuntime/register(_:policy:invalidPayload:handler:)``) take the kind, not its name.
/// Each kind is a static member of a constrained extension next to the domain it belongs to, so
/// call sites read `.generation`:
///
/// ```swift
/// extension JobKind where Payload == GenerationPayload, Result == GenerationResult {
///     public static var generation: Self { JobKind("generation", queue: QueueNames.generation) }
/// }
/// try await queue.enqueue(.generation, payload: payload, id: jobID)
/// runtime.register(.generation, policy: GenerationPolicy.retry) { context, payload in ... }
/// if job.is(.generation) { ... }
/// ```
///
/// As swift-jobs ties a `JobName<Parameters: Codable>` to its parameters.
public struct JobKind<Payload: Codable & Sendable, Result: Codable & Sendable>: Sendable {
    /// The wire name, stored as the job's `kind`; it selects the handler.
    public let name: String
    /// The queue every job of this kind goes to, or nil when the enqueuer names one (the probe's kinds).
    public let queue: String?
    /// How the payload is written to and read from the record's `payload` field.
    public let payloadCoding: JobCoding<Payload>
    /// How the result is written to and read from the record's `result` field.
    public let resultCoding: JobCoding<Result>

    /// Declares a kind; payload and result are JSON from `JSONEncoder()` unless told otherwise.
    public init(
        _ name: String, queue: String? = nil, payload: JobCoding<Payload> = .jsonEncoder,
        result: JobCoding<Result> = .jsonEncoder
    ) {
        self.name = name
        self.queue = queue
        payloadCoding = payload
        resultCoding = result
    }

    /// The payload's JSON text, as stored in the job record.
    public func encode(payload: Payload) throws(JobCodingError) -> String {
        do {
            return try payloadCoding.encode(payload)
        } catch {
            throw JobCodingError(kind: name, part: .payload, direction: .encoding, underlying: error)
        }
    }

    /// The payload of a job record's JSON text.
    public func decode(payload: String) throws(JobCodingError) -> Payload {
        do {
            return try payloadCoding.decode(payload)
        } catch {
            throw JobCodingError(kind: name, part: .payload, direction: .decoding, underlying: error)
        }
    }

    /// The result's JSON text, as stored in the job record.
    public func encode(result: Result) throws(JobCodingError) -> String {
        do {
            return try resultCoding.encode(result)
        } catch {
            throw JobCodingError(kind: name, part: .result, direction: .encoding, underlying: error)
        }
    }

    /// The result of a succeeded job's JSON text.
    public func decode(result: String) throws(JobCodingError) -> Result {
        do {
            return try resultCoding.decode(result)
        } catch {
            throw JobCodingError(kind: name, part: .result, direction: .decoding, underlying: error)
        }
    }
}

extension Job {
    /// Whether this job is of `kind` (its `kind` field is the kind's name).
    public func `is`<Payload, Result>(_ kind: JobKind<Payload, Result>) -> Bool { self.kind == kind.name }
}
