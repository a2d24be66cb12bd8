import Foundation
import HummingbirdTesting
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhImages
@testable import OzhMongo
@testable import OzhRedis

/// `IMAGE_RETENTION_DAYS`: old generations lose their drawing, images and record (a tombstone
/// stays, and their images answer 410 `images_expired`); young and unsettled ones are kept.
@Suite("Image retention", .serialized, .needsServers)
struct RetentionTests {
    static let drawing = try! MagickImage.makeImage(width: 64, height: 48, format: .png, color: "#33aa66")
    static let days = 86_400.0

    /// Moves job `id`'s record and files `age` seconds into the past.
    func backdate(_ services: GatewayServices, job id: String, by age: Double) async throws {
        let then = Date().addingTimeInterval(-age)
        try await services.mongo.collection("generations").updateOne(["_id": .string(id)], ["$set": ["created_at": .date(then)]])
        try await services.mongo.collection("images.files").updateMany(["metadata.job_id": .string(id)], ["$set": ["uploadDate": .date(then)]])
    }

    func files(_ services: GatewayServices, job id: String) async throws -> Int {
        try await services.mongo.collection("images.files").countDocuments(["metadata.job_id": .string(id)])
    }

    /// Registers `chat` and generates once; waits until the job succeeded.
    func succeededJob(_ client: some TestClientProtocol, chat: Int) async throws -> String {
        #expect(try await client.call(.post, "/users", json: #"{"chat_id": \#(chat)}"#).status == 201)
        let (status, body) = try await client.generate(chatID: "\(chat)", image: Self.drawing)
        #expect(status == 202, "\(body)")
        let id = try #require(body["job_id"] as? String)
        let (_, job) = try await client.call(.get, "/jobs/\(id)?wait=30")
        #expect(job["status"] as? String == "succeeded", "\(job)")
        return id
    }

    @Test func theWorkersRetentionPassDeletesOldGenerationsAndTheirImagesAnswer410() async throws {
        try await GenerationStack.run(workers: 0, settings: ["MAIN_IMAGES": "1"]) { client, services, stack in
            try await stack.startWorker(services.settings, ["IMAGE_RETENTION_DAYS": "30", "RETENTION_SWEEP_INTERVAL_MS": "200"])
            let old = try await succeededJob(client, chat: 601)
            let young = try await succeededJob(client, chat: 602)
            #expect(try await files(services, job: old) == 3, "1 main + 2 first-time bonus images (the drawing is in the record)")
            #expect(try await services.mongo.collection("generations").findOne(["_id": .string(old)])?["input_image"] != nil)
            #expect(
                try await client.execute(uri: "/jobs/\(old)/images/0", method: .get, headers: GatewayHarness.headers()) {
                    Int($0.status.code)
                } == 200)
            try await backdate(services, job: old, by: 31 * Self.days)
            try await backdate(services, job: young, by: 29 * Self.days)
            // The worker's next pass (every 200 ms) expires the old one only.
            let deadline = ContinuousClock.now + .seconds(15)
            while try await services.generations.expiredAt(jobID: old) == nil, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(try await services.generations.expiredAt(jobID: old) != nil, "expired by the worker")
            #expect(try await files(services, job: old) == 0)
            let tombstone = try #require(try await services.mongo.collection("generations").findOne(["_id": .string(old)]))
            for gone in ["input_image", "input_image_size", "input_image_id", "outputs", "slots", "calls"] {
                #expect(tombstone[gone] == nil, "\(gone) removed: \(tombstone)")
            }
            #expect(tombstone["chat_id"]?.int64Value == 601 && tombstone["created_at"] != nil)
            #expect(tombstone["status"]?.stringValue == "succeeded", "how the job ended is kept")

            let (image, imageBody) = try await client.call(.get, "/jobs/\(old)/images/0")
            #expect(image == 410 && errorCode(imageBody) == "images_expired", "\(imageBody)")
            let (job, jobBody) = try await client.call(.get, "/jobs/\(old)")
            #expect(job == 410 && errorCode(jobBody) == "images_expired", "\(jobBody)")
            // Once Redis forgot the job too (3 days after it ended), the tombstone still answers 410.
            _ = try await services.redis.send(["DEL", "\(services.settings.redis.prefix)job:\(old)"])
            #expect(try await client.call(.get, "/jobs/\(old)/images/0").status == 410)

            #expect(try await services.generations.expiredAt(jobID: young) == nil, "a young record is kept")
            #expect(try await files(services, job: young) == 3)
            #expect(try await services.mongo.collection("generations").findOne(["_id": .string(young)])?["input_image"] != nil)
            #expect(try await client.call(.get, "/jobs/\(young)").status == 200)
            // The ledger is untouched: still charge + success for both users.
            for chat: Int64 in [601, 602] {
                let entries = try await services.users.ledger.entries(chatID: chat, limit: 10)
                #expect(entries.contains { $0.reason == "generation" }, "\(entries)")
            }
        }
    }

    @Test func anUnsettledJobIsKeptAndAStrayOldUploadIsDeleted() async throws {
        try await GatewayHarness.withGateway { client, services in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 603}"#).status == 201)
            let (status, body) = try await client.generate(chatID: "603", image: Self.drawing)
            #expect(status == 202, "\(body)")
            let queued = try #require(body["job_id"] as? String)
            try await backdate(services, job: queued, by: 40 * Self.days)
            // A drawing no record points at (a gateway that died between upload and record).
            let stray = try await services.generations.uploadInput(jobID: "stray-job", chatID: 603, image: Self.drawing)
            try await backdate(services, job: "stray-job", by: 40 * Self.days)
            let fresh = try await services.generations.uploadInput(jobID: "fresh-job", chatID: 603, image: Self.drawing)

            try await services.generations.createRetentionIndexes()
            let report = try await services.generations.expire(before: Date().addingTimeInterval(-30 * Self.days), pageSize: 1)
            #expect(report == RetentionReport(records: 0, files: 1, keptUnsettled: 1), "\(report)")
            #expect(try await services.generations.expiredAt(jobID: queued) == nil, "the queued job keeps its record")
            #expect(
                try await services.mongo.collection("generations").findOne(["_id": .string(queued)])?["input_image"] != nil,
                "and its drawing")
            #expect(try await files(services, job: "stray-job") == 0, "\(stray) deleted")
            #expect(try await files(services, job: "fresh-job") == 1, "\(fresh) kept")
            // A second pass finds nothing more.
            #expect(try await services.generations.expire(before: Date().addingTimeInterval(-30 * Self.days)).isEmpty)
        }
    }
}
