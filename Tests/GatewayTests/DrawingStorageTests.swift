import Foundation
import HummingbirdTesting
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhImages
@testable import OzhMongo
@testable import OzhQueue

/// Where `POST /generate` keeps the drawing: a small one inside the job's `generations` record
/// (written by the upsert that records the job, no GridFS write), one over
/// ``GenerationStore/inlineDrawingLimit`` in GridFS; the worker generates from either.
@Suite("Drawing storage", .serialized, .needsServers)
struct DrawingStorageTests {
    static let small = try! MagickImage.makeImage(width: 64, height: 48, format: .png, color: "#aa3366")

    /// The queued job's payload as JSON.
    func payload(_ services: GatewayServices, _ jobID: String) async throws -> [String: Any] {
        let job = try #require(try await services.queue.job(id: jobID))
        return try #require(try JSONSerialization.jsonObject(with: Data(job.payload.utf8)) as? [String: Any])
    }

    func files(_ services: GatewayServices, job: String) async throws -> Int {
        try await services.mongo.collection("images.files").countDocuments(["metadata.job_id": .string(job)])
    }

    /// Starts a worker and waits for `jobID` to succeed.
    func generated(_ client: some TestClientProtocol, _ services: GatewayServices, _ stack: GenerationStack, _ jobID: String) async throws {
        try await stack.startWorker(services.settings)
        let (_, answer) = try await client.call(.get, "/jobs/\(jobID)?wait=60")
        #expect(answer["status"] as? String == "succeeded", "\(answer)")
    }

    @Test func aSmallDrawingIsKeptInItsJobsRecordAndGeneratesFromThere() async throws {
        try await GenerationStack.run(workers: 0, settings: ["MAIN_IMAGES": "1"]) { client, services, stack in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 7701}"#).status == 201)
            let (status, body) = try await client.generate(chatID: "7701", image: Self.small)
            #expect(status == 202, "\(body)")
            let jobID = try #require(body["job_id"] as? String)
            let record = try #require(try await services.mongo.collection("generations").findOne(["_id": .string(jobID)]))
            let drawing = try #require(record["input_image"]?.binaryValue, "the drawing is in the record: \(record.keys)")
            #expect(record["input_image_size"]?.int64Value == Int64(drawing.count))
            #expect(try MagickImage.inspect(drawing, limits: .default) == ImageInfo(format: .png, width: 64, height: 48), "the normalized PNG")
            #expect(record["input_image_id"] == nil)
            #expect(try await services.mongo.collection("images.files").countDocuments() == 0, "no GridFS file")
            #expect(try await services.mongo.collection("images.chunks").countDocuments() == 0)
            let queued = try await payload(services, jobID)
            #expect(queued["input_image_id"] == nil && queued["chat_id"] as? Int == 7701, "\(queued)")

            try await generated(client, services, stack, jobID)
            #expect(try await files(services, job: jobID) == 3, "1 main + 2 first-time bonus images, no drawing file")
        }
    }

    @Test func aDrawingOverTheLimitGoesToGridFSAndGeneratesFromThere() async throws {
        // Noise does not compress: 1024 x 1024 as PNG is far over 1 MiB.
        let large = try MagickImage.makeNoisyJPEG(width: 1024, height: 1024)
        try await GenerationStack.run(workers: 0, settings: ["MAIN_IMAGES": "1"]) { client, services, stack in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 7702}"#).status == 201)
            let (status, body) = try await client.generate(chatID: "7702", image: large)
            #expect(status == 202, "\(body)")
            let jobID = try #require(body["job_id"] as? String)
            let record = try #require(try await services.mongo.collection("generations").findOne(["_id": .string(jobID)]))
            let fileID = try #require(record["input_image_id"]?.stringValue, "\(record.keys)")
            #expect(record["input_image"] == nil && record["input_image_size"] == nil)
            let stored = try await services.generations.image(fileID)
            #expect(stored.count > GenerationStore.inlineDrawingLimit, "\(stored.count) bytes")
            #expect(try await payload(services, jobID)["input_image_id"] as? String == fileID)

            try await generated(client, services, stack, jobID)
            #expect(try await files(services, job: jobID) == 4, "the drawing + 1 main + 2 bonus images")
        }
    }

    @Test func concurrentRetriesWithOneKeyRecordOneJobWithOneDrawingAndChargeOnce() async throws {
        try await GatewayHarness.withGateway(["MAX_ACTIVE_GENERATIONS": "5"]) { client, services in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 7703}"#).status == 201)
            _ = try await services.users.ledger.apply(operationID: "gift:7703", chatID: 7703, now: Date()) { _ in
                BalanceChange(delta: 4, reason: "gift")
            }
            let answers = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        let (status, body) = try await client.generate(chatID: "7703", image: Self.small, idempotencyKey: "drawing-race-key-1")
                        return (status, body["job_id"] as? String)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.0 == 202 }, "\(answers)")
            let ids = Set(answers.compactMap(\.1))
            #expect(ids.count == 1, "one job: \(ids)")
            let jobID = try #require(ids.first)
            #expect(try await services.mongo.collection("generations").countDocuments(["chat_id": .int64(7703)]) == 1)
            let record = try #require(try await services.mongo.collection("generations").findOne(["_id": .string(jobID)]))
            #expect(record["input_image"]?.binaryValue?.isEmpty == false)
            #expect(try await services.mongo.collection("images.files").countDocuments() == 0, "no GridFS file left behind")
            #expect(try await client.call(.get, "/users/7703").body["ozhivashki"] as? Int == 4, "charged once: 1 + 4 - 1")
            #expect(try await services.billing.settlement(jobID: jobID, chatID: 7703) == .unsettled)
            #expect(try await payload(services, jobID)["input_image_id"] == nil)
        }
    }
}
