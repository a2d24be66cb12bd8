import Foundation
import Logging
import OzhQueue
import OzhSupport

extension GenerationService {
    /// One image for `slot`: quota, one call, and what to do about its outcome.
    func generateOne(_ attempt: some GenerationAttempt, slot: String, input: Data, mimeType: String, _ engine: Engine) async throws
        -> (Data, String, GenerationCall)
    {
        let limiter = engine.limiter
        var lastProblem = "no call made"
        var noImageCount = 0
        for _ in 0..<engine.callsPerSlot * 3 {
            // Fenced: a worker that lost the job pays for nothing more.
            try await attempt.confirmHeld()
            let grant = try await limiter.acquire(model: engine.model)
            guard case .granted(let key, let project, _) = grant else {
                if case .wait(let until, let reason) = grant {
                    throw JobPostpone(until: until, reason: "waiting for Gemini quota (\(reason.rawValue))")
                }
                continue
            }
            if Task.isCancelled {
                _ = try? await limiter.release(grant: grant)
                throw CancellationError()
            }
            let started = ContinuousClock.now
            let outcome = try await engine.gemini.generate(
                model: engine.model, prompt: engine.prompt, image: input, mimeType: mimeType,
                key: key.secret)
            let elapsed = ContinuousClock.now - started
            let latency = Int(elapsed.wholeMilliseconds)
            GeminiMetrics.record(project: project, outcome: outcome, duration: elapsed)
            let call = GenerationCall(slot: slot, project: project, outcome: Self.describe(outcome), latencyMS: latency, at: Date.nowMillis)
            if case .image = outcome {
            } else {
                try? await store.recordCall(jobID: attempt.job.id, call) // an image's call is recorded with it
            }
            var log = attempt.logger
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
                if noImageCount >= engine.callsPerSlot {
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
                log.warning(
                    "Gemini call never left; quota returned, will retry",
                    metadata: [
                        "code": "\(code)", "quota_returned": "\(returned)",
                    ])
                throw JobFailure(code: code, message: message, retryable: true)
            case .invalidRequest(let status, let message):
                throw JobFailure(code: "gemini_rejected_request", message: "HTTP \(status): \(message)", retryable: false)
            }
        }
        throw JobFailure(code: "gemini_unavailable", message: lastProblem, retryable: true)
    }

    /// How a call's outcome is recorded in the job's `calls`.
    public static func describe(_ outcome: GeminiOutcome) -> String {
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
