import Foundation
import Logging
import OzhHTTP
import OzhQueue
import OzhSupport

/// Runs delivery jobs (queue `callback`): POSTs the job's current `GET /jobs/{id}` body to the
/// callback URL, signed per Standard Webhooks 1.0, and records the outcome in the job's hash.
///
/// Every attempt resolves the host again and refuses a target that is no longer public (DNS
/// rebinding), connects to exactly the address it checked (`CURLOPT_RESOLVE`), and never follows
/// a redirect: a 3xx is a failure like any non-2xx. A failure postpones the delivery job by the
/// backoff of ``CallbackSettings/retryPolicy`` (exponential, full jitter) until
/// `CALLBACK_RETRY_FOR_MS` after the event; then it fails for good. The delivery is a queue job,
/// so a worker restart loses nothing: a waiting retry sits in the delayed set.
public struct CallbackDeliverer: Sendable {
    let queue: JobQueue
    let generations: GenerationStore
    let settings: CallbackSettings
    let signer: WebhookSigner
    let http: HTTPClient

    /// Creates a deliverer; `settings.secrets` must not be empty.
    public init(queue: JobQueue, generations: GenerationStore, settings: CallbackSettings) {
        self.queue = queue
        self.generations = generations
        self.settings = settings
        signer = WebhookSigner(secrets: settings.secrets)
        // No idle handles: each delivery connects afresh, so no pinned address outlives its check.
        http = HTTPClient(
            configuration: .init(
                connectTimeout: .milliseconds(min(settings.timeoutMS, 10_000)),
                totalTimeout: .milliseconds(settings.timeoutMS), maxIdleHandles: 0))
    }

    /// How one attempt went.
    enum Attempt {
        case delivered(status: Int)
        case failed(lastStatus: String, outcome: String)
    }

    /// What a delivery job whose payload is not a ``CallbackDelivery`` fails with (for good).
    public static let invalidPayload = JobFailure(
        code: "invalid_payload", message: "the delivery's payload is not a callback delivery",
        retryable: false)

    /// The delivery job's handler (``JobKind/callback``; register it with ``invalidPayload``).
    public func handle(_ context: JobContext, _ delivery: CallbackDelivery) async throws -> CallbackOutcome {
        var logger = context.logger
        logger[metadataKey: "job_id"] = "\(delivery.jobID)"
        logger[metadataKey: "event"] = "\(delivery.event)"
        let attempt = try await queue.countCallbackAttempt(deliveryJobID: context.job.id)
        guard let snapshot = try await queue.snapshot(id: delivery.jobID) else {
            CallbackMetrics.record("failed")
            throw JobFailure(code: "job_gone", message: "job \(delivery.jobID) no longer exists", retryable: false)
        }
        let images = try await generations.resultImages(of: snapshot.job)
        let body = Data(JobDocument.json(snapshot, images: images).serialized.utf8)
        let outcome = await send(delivery, body: body)
        var state = snapshot.job.callback ?? JobCallback(fields: [JobCallback.Field.url: delivery.url])!
        state.attempts = attempt
        state.nextAttemptAt = nil
        switch outcome {
        case .delivered(let status):
            state.status = "delivered"
            state.lastStatus = String(status)
            try await queue.recordCallback(jobID: delivery.jobID, state: state, final: delivery.isFinal)
            CallbackMetrics.record("delivered")
            logger.info("callback delivered", metadata: ["status": "\(status)", "attempts": "\(attempt)"])
            return CallbackOutcome(status: status, attempts: attempt)
        case .failed(let lastStatus, let label):
            state.lastStatus = lastStatus
            let next = Date.now.addingTimeInterval(settings.retryPolicy.backoff(afterAttempt: attempt).timeInterval)
            let giveUpAt = context.job.createdAt.addingTimeInterval(Double(settings.retryForMS) / 1000)
            let message = "the receiver answered \(lastStatus) (attempt \(attempt))"
            guard next < giveUpAt else {
                state.status = "failed"
                try await queue.recordCallback(jobID: delivery.jobID, state: state, final: delivery.isFinal)
                CallbackMetrics.record("failed")
                logger.warning("callback failed for good", metadata: ["last_status": "\(lastStatus)", "attempts": "\(attempt)"])
                throw JobFailure(code: "callback_failed", message: message, retryable: false)
            }
            state.status = "retrying"
            state.nextAttemptAt = next
            try await queue.recordCallback(jobID: delivery.jobID, state: state, final: delivery.isFinal)
            CallbackMetrics.record(label)
            logger.notice(
                "callback attempt failed; retrying",
                metadata: [
                    "last_status": "\(lastStatus)", "attempts": "\(attempt)", "next_attempt_at": "\(Timestamp.format(next))",
                ])
            throw JobPostpone(until: next, reason: message)
        }
    }

    /// One signed POST of `body` to the delivery's URL, at the address checked just now.
    func send(_ delivery: CallbackDelivery, body: Data) async -> Attempt {
        guard let target = try? await CallbackTarget.resolve(delivery.url, allowedHosts: settings.allowedHosts) else {
            return .failed(lastStatus: "refused_target", outcome: "refused")
        }
        var headers = signer.headers(id: delivery.webhookID, timestamp: Int64(Date.now.timeIntervalSince1970), body: body)
        headers.append(("Content-Type", "application/json"))
        var request = HTTPRequest(method: "POST", url: delivery.url, headers: headers, body: body)
        request.resolve = target.resolveEntry.map { [$0] } ?? []
        do {
            let response = try await http.execute(request)
            if (200...299).contains(response.status) { return .delivered(status: response.status) }
            return .failed(lastStatus: String(response.status), outcome: "retrying")
        } catch let error as HTTPClientError {
            return .failed(lastStatus: error.code, outcome: "retrying")
        } catch {
            return .failed(lastStatus: "http_transport", outcome: "retrying")
        }
    }
}
