import Foundation
import Logging
import OzhMongo
import OzhQueue
import OzhRedis
import OzhSupport

extension GenerationService {
    /// What running a job needs besides the core; the generation worker builds it once.
    public struct Engine: Sendable {
        /// The Gemini quota (and the Redis the pace is recorded in).
        public let limiter: QuotaLimiter
        public let gemini: GeminiClient
        public let model: String
        public let prompt: String
        /// How long after acceptance a job may keep waiting for quota (`MAX_POSTPONE_HOURS`).
        public let maxPostpone: Duration
        /// Gemini calls tried per slot in one attempt before the job retries with backoff.
        public let callsPerSlot: Int

        public init(
            limiter: QuotaLimiter, gemini: GeminiClient, model: String, prompt: String, maxPostpone: Duration,
            callsPerSlot: Int = 4
        ) {
            self.limiter = limiter
            self.gemini = gemini
            self.model = model
            self.prompt = prompt
            self.maxPostpone = maxPostpone
            self.callsPerSlot = callsPerSlot
        }
    }

    /// Runs one `generation` job: for each image slot not yet checkpointed, take a quota slot,
    /// call Gemini once, store the image; then settle the user's balance and stats.
    ///
    /// Outcomes: quota spent → the job is postponed (status `retrying` with when it goes on),
    /// not failed, for at most `maxPostpone` after it was accepted; 429 → the project cools down
    /// and another is tried; an invalid key is disabled; 5xx and time-outs are retried; a safety
    /// block, or no image after retries, fails the job and refunds the ozhivashka.
    ///
    /// Fencing: before every paid Gemini call and before settling, the attempt confirms this
    /// worker still holds the job; a worker that lost the job (recovered by another while it
    /// was stalled) stops at once and settles nothing. A cancelled attempt (shutdown deadline,
    /// time-out) settles nothing either: the job goes on elsewhere, or the refund sweep refunds
    /// it once it has ended failed. A grant whose call certainly never reached Google is given back.
    public func run(_ attempt: some GenerationAttempt, _ payload: GenerationPayload, engine: Engine) async throws -> GenerationResult {
        do {
            return try await generate(attempt, payload, engine)
        } catch let postpone as JobPostpone {
            let waited = Date().timeIntervalSince(attempt.job.createdAt)
            let maxPostpone = engine.maxPostpone
            guard waited + postpone.until.timeIntervalSinceNow <= maxPostpone.timeInterval else {
                let failure = JobFailure(
                    code: "postponed_too_long",
                    message: "no Gemini quota within \(Int(maxPostpone.timeInterval / 3600)) h of acceptance",
                    retryable: false)
                try await settleFailure(attempt, chatID: payload.chatID, failure)
                throw failure
            }
            attempt.logger.info("generation waits for quota", metadata: ["until": "\(Timestamp.format(postpone.until))"])
            throw postpone
        } catch let lost as JobLost {
            throw lost
        } catch {
            // Cancelled (shutdown deadline, time-out): the runtime gives the job back or fails
            // it; settling here would refund a job that goes on (or is already going on) elsewhere.
            if Task.isCancelled || error is CancellationError { throw error }
            let failure = error as? JobFailure ?? JobFailure(code: "internal_error", message: "\(error)", retryable: true)
            // The last attempt, or a failure no retry can fix: the job ends failed, so refund now.
            if !failure.retryable || attempt.job.attempts >= attempt.job.maxAttempts {
                try await settleFailure(attempt, chatID: payload.chatID, failure)
            }
            throw error
        }
    }

    private func generate(_ attempt: some GenerationAttempt, _ payload: GenerationPayload, _ engine: Engine) async throws
        -> GenerationResult
    {
        let jobID = attempt.job.id
        // Independent reads, one round trip of time.
        async let recorded = store.progress(jobID: jobID, drawing: payload.drawing)
        async let settled = billing.settlement(jobID: jobID, chatID: payload.chatID)
        let progress = try await recorded
        var outputs = progress.outputs
        switch try await settled {
        case .unsettled:
            break
        case .succeeded:
            // Another attempt already delivered and settled it (this one was recovered from a
            // stalled worker): answer with what it stored, without a single Gemini call.
            attempt.logger.notice("generation already succeeded; answering with its images")
            return Self.result(payload, outputs, balance: try await billing.balance(chatID: payload.chatID))
        case .refunded, .notCharged:
            // A job requeued after it was refunded must not deliver a generation for free.
            throw JobFailure(code: "already_refunded", message: "this generation was refunded; submit it again", retryable: false)
        }
        let slots = payload.slots
        try await attempt.reportProgress(Self.progress(done: outputs.count, planned: slots.count))
        // A drawing in the record came with it (the read above); one in GridFS is read now.
        let input: Data
        switch (payload.drawing, progress.input) {
        case (_, let inline?): input = inline
        case (.gridFS(let id), nil): input = try await store.image(id)
        case (.inRecord, nil): throw MongoError.notFound
        }
        for slot in slots where outputs[slot] == nil {
            let started = ContinuousClock.now
            let (image, mime, call) = try await generateOne(attempt, slot: slot, input: input, mimeType: payload.inputMimeType, engine)
            outputs[slot] = try await store.storeOutput(jobID: jobID, slot: slot, image: image, mimeType: mime, call: call)
            await Self.recordPace(imageSince: started, engine.limiter)
            try await attempt.reportProgress(Self.progress(done: outputs.count, planned: slots.count))
        }
        try await attempt.confirmHeld()
        let balance: Int64
        do {
            balance = try await settleSuccess(jobID: jobID, chatID: payload.chatID)
        } catch BillingError.alreadySettled {
            // Refunded meanwhile (the sweep judged it could no longer run): the user keeps the
            // ozhivashka and the job ends failed, without a second settlement.
            throw JobFailure(code: "already_refunded", message: "this generation was refunded; submit it again", retryable: false)
        }
        try await store.finish(jobID: jobID, status: "succeeded", error: nil, now: Date.nowMillis)
        try? await GenerationPace.recordJob(images: slots.count, redis: engine.limiter.redis, prefix: engine.limiter.prefix)
        attempt.logger.info("generation succeeded", metadata: ["images": "\(slots.count)", "new_balance": "\(balance)"])
        return Self.result(payload, outputs, balance: balance)
    }

    /// The job's result from its stored images.
    static func result(_ payload: GenerationPayload, _ outputs: [String: String], balance: Int64) -> GenerationResult {
        GenerationResult(
            mainImageIDs: (0..<payload.mainImages).compactMap { outputs["main-\($0)"] },
            bonusImageIDs: (0..<payload.bonusImages).compactMap { outputs["bonus-\($0)"] },
            ozhivashkiSpent: 1, newBalance: balance)
    }

    /// The job's `progress` JSON: `{"images_done", "images_planned"}`.
    public static func progress(done: Int, planned: Int) -> String {
        JSONValue.object([("images_done", .int(Int64(done))), ("images_planned", .int(Int64(planned)))]).serialized
    }

    /// Adds an image's wall time (quota grant, Gemini call, GridFS write) to the pace the
    /// gateway's ETA reads (``GenerationPace``); a failed write costs the job nothing.
    static func recordPace(imageSince started: ContinuousClock.Instant, _ limiter: QuotaLimiter) async {
        let elapsed = ContinuousClock.now - started
        let ms = Int(elapsed / .milliseconds(1))
        try? await GenerationPace.recordImage(milliseconds: ms, redis: limiter.redis, prefix: limiter.prefix)
    }
}
