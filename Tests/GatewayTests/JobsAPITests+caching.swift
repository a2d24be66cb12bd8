import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhMongo
@testable import OzhQueue
@testable import OzhRedis

/// A finished generation's answer is cached (no GridFS read on the next poll); `ETag` /
/// `If-None-Match` → 304 on `GET /jobs/{id}` and its images; a cached answer never survives a
/// change that matters (retention, requeue, new fields).
extension JobsAPITests {
    /// Status, headers and body bytes of a GET with the test api-key.
    static func get(_ client: some TestClientProtocol, _ uri: String, ifNoneMatch: String? = nil) async throws
        -> (status: Int, headers: HTTPFields, body: Data)
    {
        var headers = GatewayHarness.headers(json: false)
        if let ifNoneMatch { headers[.ifNoneMatch] = ifNoneMatch }
        return try await client.execute(uri: uri, method: .get, headers: headers) { response in
            (Int(response.status.code), response.headers, Data(response.body.readableBytesView))
        }
    }

    static func json(_ data: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    /// A succeeded generation with `images` stored in GridFS and its record, as a worker leaves it.
    static func succeededGeneration(_ services: GatewayServices, images: [Data]) async throws -> (id: String, files: [String]) {
        let queue = services.queue
        let id = try await queue.enqueue(kind: JobKind.generation.name, queue: "generation", payload: "{}", chatID: 91)
        _ = try await services.mongo.collection("generations").insertOne([
            "_id": .string(id), "chat_id": .int64(91), "status": "processing", "outputs": [:], "created_at": .date(Date()),
        ])
        var files: [String] = []
        for (index, image) in images.enumerated() {
            files.append(
                try await services.generations.storeOutput(
                    jobID: id, slot: "main-\(index)", image: image, mimeType: "image/png",
                    call: GenerationCall(
                        slot: "main-\(index)", project: "p1", outcome: "image",
                        latencyMS: 1, at: Date())))
        }
        let job = try #require(try await queue.reserve(queue: "generation", worker: "w", timeout: .seconds(1)))
        #expect(job.id == id)
        let result = GenerationResult(mainImageIDs: Array(files.dropLast()), bonusImageIDs: [files.last!], ozhivashkiSpent: 1, newBalance: 4)
        #expect(try await queue.complete(job, worker: "w", result: String(decoding: try JSONEncoder().encode(result), as: UTF8.self)))
        return (id, files)
    }

    static let pngs: [Data] = (0..<3).map { index in
        Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data((0..<2000).map { UInt8(truncatingIfNeeded: $0 * (index + 3)) })
    }

    /// Deletes every GridFS file and chunk of the test database behind the gateway's back.
    static func wipeGridFS(_ services: GatewayServices) async throws {
        _ = try await services.mongo.collection("images.chunks").deleteMany([:])
        _ = try await services.mongo.collection("images.files").deleteMany([:])
    }

    @Test func aSecondPollOfASucceededGenerationReadsNoGridFS() async throws {
        try await GatewayHarness.withGateway { client, services in
            let (id, files) = try await Self.succeededGeneration(services, images: Self.pngs)
            let first = try await Self.get(client, "/jobs/\(id)")
            #expect(first.status == 200)
            let result = try #require(Self.json(first.body)["result"] as? [String: Any])
            #expect((result["main_images"] as? [String]) == Self.pngs.dropLast().map { $0.base64EncodedString() })
            #expect((result["bonus_images"] as? [String]) == [Self.pngs[2].base64EncodedString()])
            let image = try await Self.get(client, "/jobs/\(id)/images/1")
            #expect(image.status == 200 && image.body == Self.pngs[1])
            #expect(image.headers[.eTag] == "\"\(files[1])\"")

            // The bytes are gone from GridFS (not by retention: no tombstone): only a cache can answer.
            try await Self.wipeGridFS(services)
            let second = try await Self.get(client, "/jobs/\(id)")
            #expect(second.status == 200, "\(String(decoding: second.body, as: UTF8.self))")
            #expect(second.body == first.body)
            #expect(second.headers[.eTag] == first.headers[.eTag])
            #expect(try await Self.get(client, "/jobs/\(id)/images/1").body == Self.pngs[1])

            // Once the TTL passes, GridFS is read again (and its absence shows).
            services.caches.answers.advanceClock(by: .milliseconds(services.settings.gateway.jobCacheTTLMS + 1))
            services.caches.images.advanceClock(by: .milliseconds(services.settings.gateway.jobCacheTTLMS + 1))
            #expect(try await Self.get(client, "/jobs/\(id)").status != 200)
            #expect(try await Self.get(client, "/jobs/\(id)/images/1").status != 200)
        }
    }

    @Test func ifNoneMatchWithTheCurrentETagIs304WithNoBodyAndAChangedJobIs200WithANewETag() async throws {
        try await GatewayHarness.withGateway { client, services in
            let queue = services.queue
            let id = try await queue.enqueue(.probeCount, queue: "generation", payload: ProbeCount())
            let queued = try await Self.get(client, "/jobs/\(id)")
            #expect(queued.status == 200)
            let etag = try #require(queued.headers[.eTag])
            #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && etag.count == 18, "a strong tag: \(etag)")
            #expect(queued.headers[.cacheControl] == "no-cache")
            #expect(try await Self.get(client, "/jobs/\(id)").headers[.eTag] == etag, "the same answer, the same tag")

            for held in [etag, "W/\(etag)", "\"other\", \(etag)", "*"] {
                let same = try await Self.get(client, "/jobs/\(id)", ifNoneMatch: held)
                #expect(same.status == 304, "If-None-Match: \(held)")
                #expect(same.body.isEmpty)
                #expect(same.headers[.eTag] == etag)
                #expect(same.headers[.cacheControl] == "no-cache")
            }
            #expect(try await Self.get(client, "/jobs/\(id)", ifNoneMatch: "\"0000000000000000\"").status == 200)

            _ = try #require(try await queue.reserve(queue: "generation", worker: "w", timeout: .seconds(1)))
            let processing = try await Self.get(client, "/jobs/\(id)", ifNoneMatch: etag)
            #expect(processing.status == 200)
            #expect(Self.json(processing.body)["status"] as? String == "processing")
            let newTag = try #require(processing.headers[.eTag])
            #expect(newTag != etag)
            #expect(try await Self.get(client, "/jobs/\(id)", ifNoneMatch: newTag).status == 304)
        }
    }

    @Test func aSucceededGenerationAndItsImagesAnswer304() async throws {
        try await GatewayHarness.withGateway { client, services in
            let (id, files) = try await Self.succeededGeneration(services, images: Self.pngs)
            let answer = try await Self.get(client, "/jobs/\(id)")
            let etag = try #require(answer.headers[.eTag])
            let same = try await Self.get(client, "/jobs/\(id)", ifNoneMatch: etag)
            #expect(same.status == 304 && same.body.isEmpty && same.headers[.eTag] == etag)
            for (n, file) in files.enumerated() {
                let image = try await Self.get(client, "/jobs/\(id)/images/\(n)")
                #expect(image.status == 200 && image.body == Self.pngs[n])
                #expect(image.headers[.contentType] == "image/png")
                #expect(image.headers[.cacheControl] == "private, max-age=86400, immutable")
                let tag = try #require(image.headers[.eTag])
                #expect(tag == "\"\(file)\"")
                let cached = try await Self.get(client, "/jobs/\(id)/images/\(n)", ifNoneMatch: tag)
                #expect(cached.status == 304 && cached.body.isEmpty && cached.headers[.eTag] == tag)
                #expect(cached.headers[.cacheControl] == "private, max-age=86400, immutable")
                #expect(try await Self.get(client, "/jobs/\(id)/images/\(n)", ifNoneMatch: "\"\(files[(n + 1) % files.count])\"").status == 200)
            }
        }
    }

    @Test func retentionExpiryIsSeenOnTheNextPollDespiteTheCache() async throws {
        try await GatewayHarness.withGateway { client, services in
            let (id, _) = try await Self.succeededGeneration(services, images: Self.pngs)
            let answer = try await Self.get(client, "/jobs/\(id)")
            #expect(answer.status == 200)
            let etag = try #require(answer.headers[.eTag])
            #expect(try await Self.get(client, "/jobs/\(id)/images/0").status == 200)
            let report = try await services.generations.expire(before: Date().addingTimeInterval(60))
            #expect(report.records == 1)
            for uri in ["/jobs/\(id)", "/jobs/\(id)/images/0"] {
                for held in [nil, etag, "\"\(uri)\""] {
                    let expired = try await Self.get(client, uri, ifNoneMatch: held)
                    #expect(expired.status == 410, "\(uri) If-None-Match \(held ?? "-")")
                    #expect(errorCode(Self.json(expired.body)) == "images_expired")
                }
            }
        }
    }

    @Test func aChangedJobIsNeverAnsweredFromTheCache() async throws {
        try await GatewayHarness.withGateway { client, services in
            // A failed job an admin requeues: the next poll shows it queued, with a new tag.
            let queue = services.queue
            let failedID = try await queue.enqueue(kind: JobKind.generation.name, queue: "generation", maxAttempts: 1)
            let job = try #require(try await queue.reserve(queue: "generation", worker: "w", timeout: .seconds(1)))
            _ = try await queue.fail(job, worker: "w", error: JobError(code: "no_image", message: "none"), retryable: false, backoff: .zero)
            let failed = try await Self.get(client, "/jobs/\(failedID)")
            #expect(Self.json(failed.body)["status"] as? String == "failed")
            let failedTag = try #require(failed.headers[.eTag])
            #expect(try await queue.requeueDead(queue: "generation") == 1)
            let requeued = try await Self.get(client, "/jobs/\(failedID)", ifNoneMatch: failedTag)
            #expect(requeued.status == 200)
            #expect(Self.json(requeued.body)["status"] as? String == "queued")
            #expect(requeued.headers[.eTag] != failedTag)
            _ = try #require(try await queue.reserve(queue: "generation", worker: "w", timeout: .seconds(1)))

            // A succeeded generation whose result changes in Redis (run again, other images).
            let (id, files) = try await Self.succeededGeneration(services, images: Self.pngs)
            let first = try await Self.get(client, "/jobs/\(id)")
            let result = GenerationResult(mainImageIDs: [files[2]], bonusImageIDs: [], ozhivashkiSpent: 1, newBalance: 4)
            _ = try await services.redis.send([
                "HSET", "\(services.settings.redis.prefix)job:\(id)", "result",
                String(decoding: try JSONEncoder().encode(result), as: UTF8.self),
            ])
            let second = try await Self.get(client, "/jobs/\(id)", ifNoneMatch: first.headers[.eTag])
            #expect(second.status == 200)
            #expect((Self.json(second.body)["result"] as? [String: Any])?["main_images"] as? [String] == [Self.pngs[2].base64EncodedString()])
            #expect(second.headers[.eTag] != first.headers[.eTag])
        }
    }

    @Test func aLongPollWithIfNoneMatchReturnsWhenTheAnswerChangesOr304WhenTimeRunsOut() async throws {
        try await GatewayHarness.withGateway { client, services in
            let queue = services.queue
            let id = try await queue.enqueue(.probeCount, queue: "generation", payload: ProbeCount())
            let etag = try #require(try await Self.get(client, "/jobs/\(id)").headers[.eTag])
            let unchanged = try await Self.get(client, "/jobs/\(id)?wait=0.2", ifNoneMatch: etag)
            #expect(unchanged.status == 304 && unchanged.body.isEmpty && unchanged.headers[.eTag] == etag)

            // Held until the job is taken (an event): then 200 with the new state, long before 20 s.
            let started = ContinuousClock.now
            async let held = Self.get(client, "/jobs/\(id)?wait=20", ifNoneMatch: etag)
            while services.events.interestCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
            _ = try #require(try await queue.reserve(queue: "generation", worker: "w", timeout: .seconds(1)))
            let changed = try await held
            #expect(changed.status == 200)
            #expect(Self.json(changed.body)["status"] as? String == "processing", "not held until the job ends")
            #expect(changed.headers[.eTag] != etag)
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }
}
