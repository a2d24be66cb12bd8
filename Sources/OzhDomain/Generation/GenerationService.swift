import Foundation
import Logging
import OzhMongo
import OzhQueue

/// The generation use cases, the same types on both sides: the gateway accepts an upload
/// (``accept(_:intake:logger:)``), the generation worker runs a job (``run(_:_:engine:)``) and
/// sweeps the charges nobody else will settle (``sweep(after:now:pageSize:)``). Every refund of a
/// charge, whoever decides it, goes through ``refund(jobID:chatID:)``; every success through
/// ``settleSuccess(jobID:chatID:)``.
public struct GenerationService: Sendable {
    /// The `generations` records and the images in GridFS.
    public let store: GenerationStore
    /// The money side: charge, success, refund.
    public let billing: GenerationBilling
    /// The job queue generation jobs go through.
    public let queue: JobQueue
    let mongo: MongoClient
    let logger: Logger

    /// A service over `mongo` (records, images, the sweep's checkpoints), `billing` and `queue`;
    /// `logger` is what the sweep logs with.
    public init(mongo: MongoClient, billing: GenerationBilling, queue: JobQueue, logger: Logger) {
        store = GenerationStore(mongo: mongo)
        self.billing = billing
        self.queue = queue
        self.mongo = mongo
        self.logger = logger
    }
}

/// Whether Gemini could run a generation now, asked before anything is charged: the gateway's
/// read-only view of the quota.
public protocol GenerationCapacity: Sendable {
    /// What an acquire would answer now, without taking anything.
    func availability() async throws -> QuotaAvailability
}

/// What running a generation needs of the job attempt it runs in. The worker's ``JobContext``
/// is one; a test can give another.
public protocol GenerationAttempt: Sendable {
    /// The job, as reserved (its `attempts` counts this attempt).
    var job: Job { get }
    /// A logger with the job's ids (`job_id`, `chat_id`).
    var logger: Logger { get }
    /// Confirms this worker still holds the attempt; throws ``JobLost`` when it does not.
    func confirmHeld() async throws
    /// Stores the job's progress (JSON) for pollers and progress callbacks.
    func reportProgress(_ progress: String) async throws
}

extension JobContext: GenerationAttempt {}
