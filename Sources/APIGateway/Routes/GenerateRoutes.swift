import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOFoundationCompat
import OzhDomain
import OzhImages
import OzhObservability
import OzhQueue
import OzhSupport

/// `POST /generate`: the seed's multipart upload (`chat_id`, `image`). Everything is checked
/// before anything is charged or stored; then the job is charged, its drawing stored, recorded
/// and queued.
struct GenerateRoutes: Sendable {
    let services: GatewayServices

    func register(on router: Router<GatewayContext>) {
        router.post("/generate") { request, context in try await generate(request, context) }
    }

    /// Within `MAX_CONCURRENT_UPLOADS`, else `503 busy_retry` at once: nothing of the body is
    /// read, nothing charged. The slot is held while the upload is read and accepted, not
    /// during a `?wait=` long-poll (the body is gone by then).
    private func generate(_ request: Request, _ context: GatewayContext) async throws -> Response {
        guard services.uploads.tryAcquire() else {
            EdgeMetrics.refused(.upload)
            throw APIError(.serviceUnavailable, "busy_retry", "too many uploads in progress; retry shortly", headers: [.retryAfter: "2"])
        }
        let jobID: String
        do {
            defer { services.uploads.release() }
            jobID = try await accepting(request, context)
        }
        let wait = try SyncWait(request, defaultSeconds: services.settings.bot.generateSyncWaitS)
        return try await answer(jobID, wait: wait, client: services.clientAddress(request, context))
    }

    /// Reads, checks and accepts the upload; the job's id.
    private func accepting(_ request: Request, _ context: GatewayContext) async throws -> String {
        let settings = services.settings
        _ = try JobsRoutes.waitDuration(request)  // a bad `wait` is refused before the body is read
        let idempotencyKey = request.headers[idempotencyHeader]
        if let idempotencyKey { try IdempotencyStore.validate(idempotencyKey) }
        // Multipart framing adds a little to the file itself.
        let form = try await MultipartForm.parse(request, limit: settings.maxUploadBytes + 64 * 1024,
                                                 maxParts: settings.edge.maxMultipartParts)
        let chatID = try Self.chatID(form)
        let callback = try await services.callbackFields(url: try form.text("callback_url"), events: try form.text("callback_events"))
        guard let imagePart = try form.part("image") else {
            throw APIError.badRequest("invalid_body", "field 'image' (the drawing file) is required")
        }
        // The request body's own bytes, not a copy.
        let upload = imagePart.body.getData(at: imagePart.body.readerIndex, length: imagePart.body.readableBytes,
                                            byteTransferStrategy: .noCopy) ?? Data()
        guard upload.count <= settings.maxUploadBytes else {
            throw APIError(.contentTooLarge, "image_too_big", "the image is larger than \(settings.maxUploadBytes) bytes")
        }
        // Decode once, here: an undecodable drawing is refused before it costs anything.
        let normalized = try await MagickImage.normalizeAsync(upload, maxSide: settings.imageMaxSide, output: .png)
        let claim = try await claimJob(idempotencyKey, chatID: chatID, image: upload)
        var logger = context.logger
        logger[metadataKey: "chat_id"] = "\(chatID)"
        logger[metadataKey: "job_id"] = "\(claim.jobID)"
        if case .existing = claim, try await services.queue.job(id: claim.jobID) != nil {
            logger.info("idempotent retry: answering with the existing job")
        } else {
            // A new key, or a retry of a request that claimed the key but never queued its job
            // (refused with 429/402, or failed midway with a 5xx): every step of accepting is
            // idempotent per job id, so the retry completes it.
            try await refuseWhenDailyQuotaIsSpent()
            try await accept(claim.jobID, chatID: chatID, normalized: normalized.data, resumable: idempotencyKey != nil,
                             retry: claim.isExisting, callback: callback, logger: logger)
        }
        return claim.jobID
    }

    /// Charges, then stores the drawing and the record, and queues the job (the order makes a
    /// crash at any point recoverable: see README "Generation"). The charge is the last check
    /// (unknown user, balance, unfinished jobs), so a refused request stores nothing; a retry
    /// reuses the drawing already recorded for its job. When the job cannot be queued, the
    /// drawing this request uploaded is removed, and the charge is given back at once unless
    /// the request is `resumable` (it has an Idempotency-Key): then the client's retry
    /// completes the same job, and the refund sweep returns the charge if no retry ever comes.
    private func accept(_ jobID: String, chatID: Int64, normalized: Data, resumable: Bool, retry: Bool,
                        callback: [(String, String)], logger: Logger) async throws {
        let now = Date.nowMillis
        let store = services.generations
        let charge = try await services.billing.charge(jobID: jobID, chatID: chatID, now: now)
        var uploaded: String?
        do {
            // Only a retry (an Idempotency-Key seen before) can find its job recorded already.
            var inputID = retry ? try await store.recordedInput(jobID: jobID) : nil
            if inputID == nil {
                let ours = try await store.uploadInput(jobID: jobID, chatID: chatID, image: normalized)
                uploaded = ours
                // A concurrent retry may have recorded the job first: its drawing wins, ours goes.
                inputID = try await store.accept(jobID: jobID, payload: payload(ours, chatID, charge),
                                                 model: services.settings.geminiModel, now: now)
                if inputID != ours {
                    uploaded = nil
                    try await store.deleteImage(ours)
                }
            }
            let payload = payload(inputID ?? "", chatID, charge)
            try await services.queue.enqueue(.generation, payload: payload, chatID: chatID,
                                             maxAttempts: GenerationPolicy.retry.maxAttempts, id: jobID, fields: callback)
        } catch {
            // Not queued: give the ozhivashka back before answering with the error, unless the
            // retry will queue it (a refunded job could only fail with `already_refunded`),
            // and remove the drawing this request stored (a retry sends it again).
            if !resumable { _ = try? await services.billing.refund(jobID: jobID, chatID: chatID, now: Date.nowMillis) }
            if let uploaded {
                do {
                    try await store.discardInput(jobID: jobID, imageID: uploaded)
                } catch let cleanup {
                    logger.warning("could not remove the drawing of a job that was not queued; retention will",
                                   metadata: ["error": "\(cleanup)"])
                }
            }
            throw error
        }
        logger.info("generation accepted", metadata: ["bonus_images": "\(charge.bonusImages)", "balance": "\(charge.newBalance)"])
    }

    private func payload(_ inputImageID: String, _ chatID: Int64, _ charge: GenerationBilling.Charge) -> GenerationPayload {
        GenerationPayload(chatID: chatID, inputImageID: inputImageID, inputMimeType: "image/png",
                          mainImages: services.settings.mainImages, bonusImages: charge.bonusImages)
    }

    private func claimJob(_ key: String?, chatID: Int64, image: Data) async throws -> IdempotencyStore.Claim {
        guard let key else { return .new(jobID: UUID().uuidString.lowercased()) }
        let fingerprint = IdempotencyStore.fingerprint([Data("POST /generate".utf8), Data(String(chatID).utf8), image])
        return try await services.idempotency.claim(key: key, fingerprint: fingerprint)
    }

    /// 503 with Retry-After when every project's daily quota is spent (or every key is disabled).
    private func refuseWhenDailyQuotaIsSpent() async throws {
        guard case .wait(let until, let reason) = try await services.quota.availability(),
              reason == .day || reason == .allDisabled else { return }
        let seconds = max(1, Int(until.timeIntervalSinceNow.rounded(.up)))
        throw APIError(.serviceUnavailable, reason == .day ? "quota_exhausted" : "generation_unavailable",
                       reason == .day ? "today's image generation quota is spent; try again after the reset"
                                      : "image generation is unavailable right now",
                       headers: [.retryAfter: String(seconds)])
    }

    /// 202 with the job, or after a wait (``SyncWait``) the seed's body once it has succeeded in time.
    private func answer(_ jobID: String, wait: SyncWait, client: String?) async throws -> Response {
        try await services.createdAnswer(jobID, wait: wait, client: client) { job in
            guard job.status == .succeeded, let result = job.result else { return nil }
            return try await GenerationView.json(jobID: jobID, result: result, store: services.generations)
        }
    }

    static func chatID(_ form: MultipartForm) throws -> Int64 {
        guard let part = try form.part("chat_id") else { throw APIError.badRequest("invalid_body", "field 'chat_id' is required") }
        let text = String(buffer: part.body).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= 19, let value = Int64(text), value > 0 else {
            throw APIError.badRequest("invalid_chat_id", "field 'chat_id' must be a positive integer")
        }
        return value
    }
}

/// The optional `Idempotency-Key` header of job-creating requests.
let idempotencyHeader = HTTPField.Name("Idempotency-Key")!

extension IdempotencyStore.Claim {
    var jobID: String {
        switch self {
        case .new(let id), .existing(let id): return id
        }
    }

    /// Whether the key was claimed before (this request is a retry).
    var isExisting: Bool {
        if case .existing = self { return true }
        return false
    }
}
