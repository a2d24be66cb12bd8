import Foundation
import Logging
import OzhQueue
import OzhSupport

extension GenerationService {
    /// Accepts an upload the route has parsed: decodes and normalizes the drawing (an
    /// undecodable one is refused before it costs anything), claims the `Idempotency-Key`,
    /// refuses when Gemini's quota is spent, then charges, stores, records and queues the job
    /// (``charge(_:normalized:upload:intake:retry:logger:)``). A retry of a job already queued is
    /// answered with it. Billing, image and idempotency refusals are thrown as their own errors.
    /// `logger` gets the job's `chat_id` and `job_id`.
    public func accept(_ upload: Upload, intake: Intake, logger: Logger) async throws -> Acceptance {
        // Decode once, here: an undecodable drawing is refused before it costs anything.
        let normalized = try await intake.normalize(upload.image)
        let (jobID, retry) = try await claimJob(upload, intake.idempotency)
        var logger = logger
        logger[metadataKey: "chat_id"] = "\(upload.chatID)"
        logger[metadataKey: "job_id"] = "\(jobID)"
        if retry, try await queue.job(id: jobID) != nil {
            logger.info("idempotent retry: answering with the existing job")
            return .replayed(jobID: jobID)
        }
        // A new key, or a retry of a request that claimed the key but never queued its job
        // (refused with 429/402, or failed midway with a 5xx): every step of accepting is
        // idempotent per job id, so the retry completes it.
        if let refusal = try await Self.refusal(intake.capacity) { return .refused(refusal, jobID: jobID) }
        try await charge(jobID, normalized: normalized, upload: upload, intake: intake, retry: retry, logger: logger)
        return .accepted(jobID: jobID)
    }

    /// Charges, then stores the drawing and the record, and queues the job (the order makes a
    /// crash at any point recoverable: see README "Generation"). The charge is the last check
    /// (unknown user, balance, unfinished jobs), so a refused request stores nothing; a retry
    /// reuses the drawing already recorded for its job. When the job cannot be queued, the
    /// drawing this request uploaded is removed, and the charge is given back at once unless
    /// the request is resumable (it has an Idempotency-Key): then the client's retry
    /// completes the same job, and the refund sweep returns the charge if no retry ever comes.
    func charge(_ jobID: String, normalized: Data, upload: Upload, intake: Intake, retry: Bool, logger: Logger) async throws {
        let now = Date.nowMillis
        let chatID = upload.chatID
        let charge = try await billing.charge(jobID: jobID, chatID: chatID, now: now)
        var stored: StoredDrawing? // what this request stored, removed if the job is not queued
        do {
            // Only a retry (an Idempotency-Key seen before) can find its job recorded already.
            let drawing: StoredDrawing
            if retry, let recorded = try await store.recordedInput(jobID: jobID) {
                drawing = recorded
            } else {
                // A small drawing goes into the record itself (one upsert, no GridFS writes).
                var ours: StoredDrawing =
                    normalized.count <= GenerationStore.inlineDrawingLimit
                    ? .inRecord : .gridFS(try await store.uploadInput(jobID: jobID, chatID: chatID, image: normalized))
                stored = ours
                let recorded = try await store.accept(
                    jobID: jobID, payload: Self.payload(ours, chatID, charge, intake), image: normalized,
                    model: intake.model, now: now)
                if !recorded.inserted {
                    if let theirs = recorded.drawing {
                        // A concurrent retry recorded the job first: its drawing wins, ours goes.
                        stored = nil
                        if case .gridFS(let id) = ours { try await store.deleteImage(id) }
                        ours = theirs
                    } else if ours == .inRecord {
                        // A record without a drawing (expired): ours cannot go into it, so GridFS.
                        ours = .gridFS(try await store.uploadInput(jobID: jobID, chatID: chatID, image: normalized))
                        stored = ours
                    }
                }
                drawing = ours
            }
            let payload = Self.payload(drawing, chatID, charge, intake)
            try await queue.enqueue(
                .generation, payload: payload, chatID: chatID,
                maxAttempts: GenerationPolicy.retry.maxAttempts, id: jobID, fields: upload.callback)
        } catch {
            // Not queued: give the ozhivashka back before answering with the error, unless the
            // retry will queue it (a refunded job could only fail with `already_refunded`),
            // and remove the record and drawing this request stored (a retry sends it again).
            if upload.idempotencyKey == nil { _ = try? await refund(jobID: jobID, chatID: chatID) }
            if let stored {
                do {
                    try await store.discardInput(jobID: jobID, drawing: stored)
                } catch let cleanup {
                    logger.warning(
                        "could not remove the drawing of a job that was not queued; retention will",
                        metadata: ["error": "\(cleanup)"])
                }
            }
            throw error
        }
        logger.info("generation accepted", metadata: ["bonus_images": "\(charge.bonusImages)", "balance": "\(charge.newBalance)"])
    }

    static func payload(_ drawing: StoredDrawing, _ chatID: Int64, _ charge: GenerationBilling.Charge, _ intake: Intake) -> GenerationPayload {
        GenerationPayload(
            chatID: chatID, inputImageID: drawing.imageID, inputMimeType: "image/png",
            mainImages: intake.mainImages, bonusImages: charge.bonusImages)
    }

    /// The job's id, and whether the key was claimed before (this request is a retry).
    func claimJob(_ upload: Upload, _ idempotency: IdempotencyStore) async throws -> (String, Bool) {
        guard let key = upload.idempotencyKey else { return (UUID().uuidString.lowercased(), false) }
        let fingerprint = IdempotencyStore.fingerprint([Data("POST /generate".utf8), Data(String(upload.chatID).utf8), upload.image])
        switch try await idempotency.claim(key: key, fingerprint: fingerprint) {
        case .new(let id): return (id, false)
        case .existing(let id): return (id, true)
        }
    }

    /// A refusal when every project's daily quota is spent (or every key is disabled), else nil.
    static func refusal(_ capacity: any GenerationCapacity) async throws -> GenerationRefusal? {
        guard case .wait(let until, let reason) = try await capacity.availability(),
            reason == .day || reason == .allDisabled
        else { return nil }
        let seconds = max(1, Int(until.timeIntervalSinceNow.rounded(.up)))
        return reason == .day ? .quotaExhausted(retryAfter: seconds) : .generationUnavailable(retryAfter: seconds)
    }
}
