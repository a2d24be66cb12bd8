import Foundation
import OzhMongo
import OzhQueue

/// The `generations` collection (one document per job, `_id` = job id) and the images in
/// GridFS. Each finished image is checkpointed under its slot as soon as it arrives, so a
/// retried or recovered job never pays a Gemini call twice for an image it already has.
public struct GenerationStore: Sendable {
    let generations: MongoCollection
    public let images: GridFSBucket

    public init(mongo: MongoClient) {
        generations = mongo.collection("generations")
        images = mongo.gridFS(bucket: "images")
    }

    /// Records an accepted job (idempotent: a second call changes nothing) and returns the
    /// drawing recorded for it: `payload`'s, or that of a concurrent retry that recorded the
    /// job first. One round trip (an upsert that answers with the document).
    @discardableResult
    public func accept(jobID: String, payload: GenerationPayload, model: String, now: Date) async throws -> String {
        let update: BSONDocument = [
            "$setOnInsert": [
                "chat_id": .int64(payload.chatID), "status": "accepted", "model": .string(model),
                "input_image_id": .string(payload.inputImageID), "slots": .array(payload.slots.map(BSON.string)),
                "outputs": [:], "calls": [], "created_at": .date(now),
            ]
        ]
        do {
            let recorded = try await generations.findOneAndUpdate(["_id": .string(jobID)], update, upsert: true)
            return recorded?["input_image_id"]?.stringValue ?? payload.inputImageID
        } catch let error as MongoError where error.isDuplicateKey {
            // Two upserts raced and this one lost the insert: the other's record stands.
            return try await recordedInput(jobID: jobID) ?? payload.inputImageID
        }
    }

    /// The slots already done: slot → GridFS id (hex).
    public func outputs(jobID: String) async throws -> [String: String] {
        guard let document = try await generations.findOne(["_id": .string(jobID)], projection: ["outputs": 1]),
            let outputs = document["outputs"]?.documentValue
        else { return [:] }
        var result: [String: String] = [:]
        for (slot, value) in outputs { if let id = value.stringValue { result[slot] = id } }
        return result
    }

    /// Stores one generated image and checkpoints it under `slot`, with the `call` that made
    /// it, in one update of the record; returns the image's id.
    public func storeOutput(jobID: String, slot: String, image: Data, mimeType: String, call: GenerationCall) async throws -> String {
        let id = try await images.upload(
            image, filename: "\(jobID)-\(slot)",
            metadata: [
                "job_id": .string(jobID), "slot": .string(slot), "content_type": .string(mimeType),
            ])
        try await generations.updateOne(
            ["_id": .string(jobID)],
            [
                "$set": ["outputs.\(slot)": .string(id.hex), "status": "processing"],
                "$push": ["calls": call.document],
            ])
        return id.hex
    }

    /// Appends one Gemini call's outcome (project, model, result, latency) to the record: a
    /// call that brought no image (one that did is recorded with it by ``storeOutput``).
    public func recordCall(jobID: String, _ call: GenerationCall) async throws {
        try await generations.updateOne(["_id": .string(jobID)], ["$push": ["calls": call.document]])
    }

    /// Marks the record finished.
    public func finish(jobID: String, status: String, error: JobError?, now: Date) async throws {
        var set: BSONDocument = ["status": .string(status), "finished_at": .date(now)]
        if let error { set["error"] = ["code": .string(error.code), "message": .string(error.message)] }
        try await generations.updateOne(["_id": .string(jobID)], ["$set": .document(set)])
    }

    /// An image's bytes.
    public func image(_ hex: String) async throws -> Data {
        guard let id = ObjectId(hex: hex) else { throw MongoError.notFound }
        return try await images.download(id)
    }
}
