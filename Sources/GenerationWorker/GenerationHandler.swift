import Foundation
import Logging
import OzhDomain
import OzhQueue
import OzhRedis
import OzhSupport

/// Runs one `generation` job: for each image slot not yet checkpointed, take a quota slot,
/// call Gemini once, store the image; then settle the user's balance and stats.
///
/// Outcomes: quota spent → the job is postponed (status `retrying` with when it goes on),
/// not failed, for at most `maxPostpone` after it was accepted; 429 → the project cools down
/// and another is tried; an invalid key is disabled; 5xx and time-outs are retried; a safety
/// block, or no image after retries, fails the job and refunds the ozhivashka.
///
/// Fencing: before every paid Gemini call and before settling, the handler confirms this
/// worker still holds the attempt; a worker that lost the job (recovered by another while it
/// was stalled) stops at once and settles nothing. A cancelled attempt (shutdown deadline,
/// time-out) settles nothing either: the job goes on elsewhere, or the refund sweep refunds
/// it once it has ended failed. A grant whose call certainly never reached Google is given back.
struct GenerationHandler: Sendable {
    let store: GenerationStore
    let billing: GenerationBilling
    let limiter: QuotaLimiter
    let gemini: GeminiClient
    let model: String
    let prompt: String
    /// How long after acceptance a job may keep waiting for quota (`MAX_POSTPONE_HOURS`).
    let maxPostpone: Duration
    /// Gemini calls tried per slot in one attempt before the job retries with backoff.
    let callsPerSlot = 4

    func handle(_ context: JobContext, _ payload: GenerationPayload) async throws -> GenerationResult {
        do {
            return try await run(context, payload)
        } catch let postpone as JobPostpone {
            let waited = Date().timeIntervalSince(context.job.createdAt)
            guard waited + postpone.until.timeIntervalSinceNow <= maxPostpone.timeInterval else {
                let failure = JobFailure(code: "postponed_too_long",
                                         message: "no Gemini quota within \(Int(maxPostpone.timeInterval / 3600)) h of acceptance",
                                         retryable: false)
                try await settleFailure(context, payload, failure)
                throw failure
            }
            context.logger.info("generation waits for quota", metadata: ["until": "\(Timestamp.format(postpone.until))"])
            throw postpone
        } catch let lost as JobLost {
            throw lost
        } catch {
            // Cancelled (shutdown deadline, time-out): the runtime gives the job back or fails
            // it; settling here would refund a job that goes on (or is already going on) elsewhere.
            if Task.isCancelled || error is CancellationError { throw error }
            let failure = error as? JobFailure ?? JobFailure(code: "internal_error", message: "\(error)", retryable: true)
            // The last attempt, or a failure no retry can fix: the job ends failed, so refund now.
            if !failure.retryable || context.job.attempts >= context.job.maxAttempts {
                try await settleFailure(context, payload, failure)
            }
            throw error
        }
    }

    private func run(_ context: JobContext, _ payload: GenerationPayload) async throws -> GenerationResult {
        let jobID = context.job.id
        // Independent reads, one round trip of time.
        async let recorded = store.outputs(jobID: jobID)
        async let settled = billing.settlement(jobID: jobID, chatID: payload.chatID)
        var outputs = try await recorded
        switch try await settled {
        case .unsettled:
            break
        case .succeeded:
            // Another attempt already delivered and settled it (this one was recovered from a
            // stalled worker): answer with what it stored, without a single Gemini call.
            context.logger.notice("generation already succeeded; answering with its images")
            return result(payload, outputs, balance: try await billing.balance(chatID: payload.chatID))
        case .refunded, .notCharged:
            // A job requeued after it was refunded must not deliver a generation for free.
            throw JobFailure(code: "already_refunded", message: "this generation was refunded; submit it again", retryable: false)
        }
        let slots = payload.slots
        try await context.reportProgress(Self.progress(done: outputs.count, planned: slots.count))
        let input = try await store.image(payload.inputImageID)
        for slot in slots where outputs[slot] == nil {
            let started = ContinuousClock.now
            let (image, mime, call) = try await generateOne(context, slot: slot, input: input, mimeType: payload.inputMimeType)
            outputs[slot] = try await store.storeOutput(jobID: jobID, slot: slot, image: image, mimeType: mime, call: call)
            await recordPace(imageSince: started)
            try await context.reportProgress(Self.progress(done: outputs.count, planned: slots.count))
        }
        try await context.confirmHeld()
        let balance: Int64
        do {
            balance = try await billing.succeed(jobID: jobID, chatID: payload.chatID, now: Date.nowMillis)
        } catch BillingError.alreadySettled {
            // Refunded meanwhile (the sweep judged it could no longer run): the user keeps the
            // ozhivashka and the job ends failed, without a second settlement.
            throw JobFailure(code: "already_refunded", message: "this generation was refunded; submit it again", retryable: false)
        }
        try await store.finish(jobID: jobID, status: "succeeded", error: nil, now: Date.nowMillis)
        try? await GenerationPace.recordJob(images: slots.count, redis: limiter.redis, prefix: limiter.prefix)
        context.logger.info("generation succeeded", metadata: ["images": "\(slots.count)", "new_balance": "\(balance)"])
        return result(payload, outputs, balance: balance)
    }

    /// The job's result from its stored images.
    private func result(_ payload: GenerationPayload, _ outputs: [String: String], balance: Int64) -> GenerationResult {
        GenerationResult(
            mainImageIDs: (0..<payload.mainImages).compactMap { outputs["main-\($0)"] },
            bonusImageIDs: (0..<payload.bonusImages).compactMap { outputs["bonus-\($0)"] },
            ozhivashkiSpent: 1, newBalance: balance)
    }

    /// One image for `slot`: quota, one call, and what to do about its outcome.
    private func generateOne(_ context: JobContext, slot: String, input: Data, mimeType: String) async throws
        -> (Data, String, GenerationCall) {
        var lastProblem = "no call made"
        var noImageCount = 0
        for _ in 0..<callsPerSlot * 3 {
            // Fenced: a worker that lost the job pays for nothing more.
            try await context.confirmHeld()
            let grant = try await limiter.acquire(model: model)
            guard case .granted(let key, let project, _) = grant else {
                if case .wait(let until, let reason) = grant {
                    throw JobPostpone(until: until, reason: "waiting for Gemini quota (\(reason.rawValue))")
                }
                continue
            }
            if Task.isCancelled {
                try? await limiter.release(grant: grant)
                throw CancellationError()
            }
            let started = ContinuousClock.now
            let outcome = try await gemini.generate(model: model, prompt: prompt, image: input, mimeType: mimeType, key: key.secret)
            let elapsed = ContinuousClock.now - started
            let latency = Int(elapsed.wholeMilliseconds)
            GeminiMetrics.record(project: project, outcome: outcome, duration: elapsed)
            let call = GenerationCall(slot: slot, project: project, outcome: Self.describe(outcome), latencyMS: latency, at: Date.nowMillis)
            if case .image = outcome {} else {
                try? await store.recordCall(jobID: context.job.id, call)  // an image's call is recorded with it
            }
            var log = context.logger
            log[metadataKey: "project"] = "\(project)"
            log[metadataKey: "key"] = "\(key.label)"
            switch outcome {
            case .image(let data, let mime):
                return (data, mime, call)
            case .blocked(let reason):
                throw JobFailure(code: "safety_block", message: "Gemini refused the drawing for safety (\(reason))", retryable: false)
            case .noImage(let reason):
                noImageCount += 1
                lastProblem = "Gemini answered without an image (\(reason))"
                if noImageCount >= callsPerSlot {
                    throw JobFailure(code: "no_image", message: lastProblem, retryable: false)
                }
            case .rateLimited(let quotaID, let delay):
                log.warning("Gemini answered 429; cooling the project down", metadata: ["quota_id": "\(quotaID ?? "-")"])
                _ = try await limiter.reportRateLimited(grant: grant, quotaId: quotaID ?? "", retryDelay: delay)
                lastProblem = "rate limited"
            case .keyRejected(let reason):
                log.error("Gemini key rejected; disabling it", metadata: ["reason": "\(reason)"])
                try await limiter.disable(key: key, reason: reason)
                lastProblem = "a key was rejected (\(reason))"
            case .transient(let code, let message):
                log.warning("Gemini call failed; will retry", metadata: ["code": "\(code)"])
                throw JobFailure(code: code, message: message, retryable: true)
            case .notSent(let code, let message):
                // Certainly never reached Google: the slot goes back to the window and the day.
                let returned = (try? await limiter.release(grant: grant)) ?? false
                log.warning("Gemini call never left; quota returned, will retry", metadata: [
                    "code": "\(code)", "quota_returned": "\(returned)",
                ])
                throw JobFailure(code: code, message: message, retryable: true)
            case .invalidRequest(let status, let message):
                throw JobFailure(code: "gemini_rejected_request", message: "HTTP \(status): \(message)", retryable: false)
            }
        }
        throw JobFailure(code: "gemini_unavailable", message: lastProblem, retryable: true)
    }

    /// A job that ends failed: refund once (unless this worker lost it, or it was settled
    /// already), and record why.
    private func settleFailure(_ context: JobContext, _ payload: GenerationPayload, _ failure: JobFailure) async throws {
        try await context.confirmHeld()
        do {
            let balance = try await billing.refund(jobID: context.job.id, chatID: payload.chatID, now: Date.nowMillis)
            context.logger.warning("generation failed; refunded", metadata: ["code": "\(failure.code)", "new_balance": "\(balance)"])
        } catch BillingError.alreadySettled {
            context.logger.warning("generation failed; it was settled already", metadata: ["code": "\(failure.code)"])
        }
        try? await store.finish(jobID: context.job.id, status: "failed", error: JobError(code: failure.code, message: failure.message),
                                now: Date.nowMillis)
    }

    static func progress(done: Int, planned: Int) -> String {
        JSONValue.object([("images_done", .int(Int64(done))), ("images_planned", .int(Int64(planned)))]).serialized
    }

    static func describe(_ outcome: GeminiOutcome) -> String {
        switch outcome {
        case .image: return "image"
        case .blocked(let reason): return "blocked:\(reason)"
        case .noImage(let reason): return "no_image:\(reason)"
        case .rateLimited(let quota, _): return "429:\(quota ?? "-")"
        case .keyRejected(let reason): return "key_rejected:\(reason)"
        case .transient(let code, _): return code
        case .notSent(let code, _): return "not_sent:\(code)"
        case .invalidRequest(let status, _): return "http_\(status)"
        }
    }
}
