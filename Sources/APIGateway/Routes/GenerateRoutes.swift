import Foundation
import HTTPTypes
import Hummingbird
import NIOFoundationCompat
import OzhDomain
import OzhImages
import OzhObservability
import OzhQueue
import OzhSupport

/// `POST /generate`: the seed's multipart upload (`chat_id`, `image`). The route parses and
/// checks the form and answers; ``GenerationService/accept(_:intake:logger:)`` does the rest
/// (everything is checked before anything is charged or stored; then the job is charged, its
/// drawing stored, recorded and queued).
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

    /// Reads and checks the upload, then accepts it (``GenerationService/accept(_:intake:logger:)``); the job's id.
    private func accepting(_ request: Request, _ context: GatewayContext) async throws -> String {
        let settings = services.settings
        _ = try JobsRoutes.waitDuration(request) // a bad `wait` is refused before the body is read
        let idempotencyKey = request.headers[idempotencyHeader]
        if let idempotencyKey { try IdempotencyStore.validate(idempotencyKey) }
        // Multipart framing adds a little to the file itself.
        let form = try await MultipartForm.parse(
            request, limit: settings.generation.maxUploadBytes + 64 * 1024,
            maxParts: settings.edge.maxMultipartParts)
        let chatID = try Self.chatID(form)
        let callback = try await services.callbackFields(url: try form.text("callback_url"), events: try form.text("callback_events"))
        guard let imagePart = try form.part("image") else {
            throw APIError.badRequest("invalid_body", "field 'image' (the drawing file) is required")
        }
        // The request body's own bytes, not a copy.
        let upload =
            imagePart.body.getData(
                at: imagePart.body.readerIndex, length: imagePart.body.readableBytes,
                byteTransferStrategy: .noCopy) ?? Data()
        guard upload.count <= settings.generation.maxUploadBytes else {
            throw APIError(.contentTooLarge, "image_too_big", "the image is larger than \(settings.generation.maxUploadBytes) bytes")
        }
        let acceptance = try await services.generation.accept(
            .init(chatID: chatID, image: upload, idempotencyKey: idempotencyKey, callback: callback),
            intake: services.intake, logger: context.logger)
        switch acceptance {
        case .accepted(let jobID), .replayed(let jobID):
            return jobID
        case .refused(let refusal, _):
            throw Self.refused(refusal)
        }
    }

    /// 503 with Retry-After when every project's daily quota is spent (or every key is disabled).
    static func refused(_ refusal: GenerationRefusal) -> APIError {
        let headers: HTTPFields = [.retryAfter: String(refusal.retryAfter)]
        switch refusal {
        case .quotaExhausted:
            return APIError(
                .serviceUnavailable, "quota_exhausted", "today's image generation quota is spent; try again after the reset",
                headers: headers)
        case .generationUnavailable:
            return APIError(.serviceUnavailable, "generation_unavailable", "image generation is unavailable right now", headers: headers)
        }
    }

    /// 202 with the job, or after a wait (``SyncWait``) the seed's body once it has succeeded in time.
    private func answer(_ jobID: String, wait: SyncWait, client: String?) async throws -> Response {
        try await services.createdAnswer(jobID, wait: wait, client: client) { job in
            guard job.status == .succeeded, let result = job.result else { return nil }
            return GenerationView.json(jobID: jobID, images: try await services.generations.answerImages(jobID: jobID, result: result))
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
