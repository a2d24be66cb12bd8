import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OzhDomain
import OzhImages
import OzhMongo
import OzhQueue
import OzhSupport

/// `GET /jobs/{job_id}[?wait=S]`: a job's status, optionally held until it ends (long-poll).
struct JobsRoutes: Sendable {
    let services: GatewayServices

    func register(on router: Router<GatewayContext>) {
        router.get("/jobs/{job_id}") { request, context in try await show(request, context) }
        router.get("/jobs/{job_id}/images/{n}") { request, context in try await image(request, context) }
    }

    private func show(_ request: Request, _ context: GatewayContext) async throws -> Response {
        let id = try Self.jobID(context)
        let wait = try Self.waitDuration(request)
        let held = request.headers[.ifNoneMatch]
        let answer = try await services.waitForAnswer(
            id, upTo: wait, changedFrom: held,
            client: services.clientAddress(request, context))
        return answer.response(ifNoneMatch: held)
    }

    /// One image of a succeeded generation as binary: main images first, then bonus ones; with
    /// `?format=jpeg` converted for Telegram (``converted(_:file:to:)``).
    /// Its `ETag` is the GridFS file id (a file's bytes never change under its id); the bytes
    /// come from `caches.images` for `JOB_CACHE_TTL_MS`, so a 304 or a repeated download within
    /// that time reads no GridFS (only the record's `expired_at`: retention is seen at once, 410).
    private func image(_ request: Request, _ context: GatewayContext) async throws -> Response {
        let id = try Self.jobID(context)
        guard let n = context.parameters.get("n").flatMap(Int.init), n >= 0 else {
            throw APIError.badRequest("invalid_image_index", "the image number must be 0 or more")
        }
        let wanted = try Self.imageFormat(request)
        guard let job = try await services.queue.job(id: id) else {
            throw try await services.expiredJobError(id, otherwise: APIError(.notFound, "job_not_found", "job \(id) does not exist"))
        }
        guard job.is(.generation), job.status == .succeeded, let text = job.result,
            let result = try? JobKind.generation.decode(result: text)
        else {
            throw APIError(.conflict, "job_not_succeeded", "job \(id) has no images (status \(job.status.rawValue))")
        }
        let ids = result.mainImageIDs + result.bonusImageIDs
        guard n < ids.count else { throw APIError(.notFound, "image_not_found", "job \(id) has \(ids.count) images") }
        let file = ids[n]
        let ifNoneMatch = request.headers[.ifNoneMatch]
        if let wanted, let entry = services.caches.images.get(Self.convertedKey(file, wanted), version: "") {
            try await services.caches.stillKept(id, generations: services.generations)
            return JobAnswer.response(
                body: entry.body, etag: entry.etag, contentType: wanted.mimeType,
                cacheControl: Self.imageCacheControl, ifNoneMatch: ifNoneMatch)
        }
        let body: ByteBuffer
        if let entry = services.caches.images.get(file, version: "") {
            try await services.caches.stillKept(id, generations: services.generations)
            body = entry.body
        } else {
            do {
                body = ByteBuffer(bytes: try await services.generations.image(file))
            } catch MongoError.notFound {
                throw try await services.expiredJobError(id, otherwise: APIError(.notFound, "image_not_found", "image \(n) of job \(id) is gone"))
            }
            services.caches.images.put(file, version: "", body: body, etag: Self.imageTag(file))
        }
        let format = body.withUnsafeReadableBytes { ImageFormat.sniff(Data($0.prefix(16))) } ?? .png
        if let wanted, wanted != format {
            let (converted, etag) = try await converted(body, file: file, to: wanted)
            return JobAnswer.response(
                body: converted, etag: etag, contentType: wanted.mimeType,
                cacheControl: Self.imageCacheControl, ifNoneMatch: ifNoneMatch)
        }
        return JobAnswer.response(
            body: body, etag: Self.imageTag(file), contentType: format.mimeType,
            cacheControl: Self.imageCacheControl, ifNoneMatch: ifNoneMatch)
    }

    /// An image's strong `ETag`: its GridFS id, quoted.
    static func imageTag(_ file: String) -> String { "\"" + file + "\"" }

    /// A succeeded generation's images never change until retention deletes them; they are the
    /// user's own, so only private (the bot's) caches may keep them.
    static let imageCacheControl = "private, max-age=86400, immutable"

    /// `{job_id}`: 1–64 characters of letters, digits, `-` and `_` (our ids are UUIDs).
    static func jobID(_ context: GatewayContext) throws -> String {
        let id = context.parameters.get("job_id") ?? ""
        guard id.isIdentifier(maxLength: 64) else {
            throw APIError.badRequest("invalid_job_id", "job_id must be 1-64 letters, digits, '-' or '_'")
        }
        return id
    }

    /// `?wait=S`, 0 < S ≤ 60 seconds (fractions allowed); nil when absent.
    static func waitDuration(_ request: Request) throws -> Duration? {
        guard let text = request.uri.queryParameters.get("wait") else { return nil }
        guard let seconds = Double(text), seconds.isFinite, seconds > 0, seconds <= 60 else {
            throw APIError.badRequest("invalid_wait", "query 'wait' must be a number of seconds, more than 0 and at most 60")
        }
        return .milliseconds(Int64(seconds * 1000))
    }
}

extension GatewayServices {
    /// The job's answer, read again whenever an event for it arrives, until `wait` passes or
    /// (without `held`) the job ends, or (with `held`, the client's `If-None-Match`) its `ETag`
    /// is no longer one the client holds. Without `wait`, the answer now.
    func waitForAnswer(_ id: String, upTo wait: Duration?, changedFrom held: String?) async throws -> JobAnswer {
        guard let wait else { return try await answer(id) }
        var version = events.subscribe(id)
        defer { events.unsubscribe(id) }
        let deadline = ContinuousClock.now + wait
        while true {
            let answer = try await answer(id)
            let left = deadline - ContinuousClock.now
            let changed = held.map { !EntityTag.matches($0, answer.etag) } ?? answer.isFinal
            if changed || left <= .zero { return answer }
            version = await events.wait(for: id, after: version, timeout: left)
        }
    }

    private func answer(_ id: String) async throws -> JobAnswer {
        let snapshot = try await snapshot(id)
        return try await JobAnswer.build(snapshot, generations: generations, caches: caches, eta: await eta.estimate(snapshot))
    }

    /// The job with its queue position, read again (one Redis round trip) whenever an event
    /// for it arrives, until it ends or `wait` passes. Waiters share this process's one Redis
    /// subscription (``JobEventHub``).
    func waitForSnapshot(_ id: String, upTo wait: Duration?) async throws -> JobSnapshot {
        guard let wait else { return try await snapshot(id) }
        var version = events.subscribe(id)
        defer { events.unsubscribe(id) }
        let deadline = ContinuousClock.now + wait
        while true {
            let snapshot = try await snapshot(id)
            let left = deadline - ContinuousClock.now
            if snapshot.job.status.isFinal || left <= .zero { return snapshot }
            version = await events.wait(for: id, after: version, timeout: left)
        }
    }

    private func snapshot(_ id: String) async throws -> JobSnapshot {
        guard let snapshot = try await queue.snapshot(id: id) else {
            throw try await expiredJobError(id, otherwise: APIError(.notFound, "job_not_found", "job \(id) does not exist"))
        }
        return snapshot
    }
}
