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

    /// Drawings up to this many bytes (after normalization) are kept in the job's record
    /// (``StoredDrawing/inRecord``), larger ones in GridFS. 1 MiB: a normalized drawing is
    /// usually tens of KB, and the record stays far below MongoDB's 16 MiB document limit.
    public static let inlineDrawingLimit = 1 << 20

    /// What recording a job found.
    public struct Recorded: Sendable, Equatable {
        /// Whether this call created the record (else a concurrent retry, or an earlier try of
        /// the same request, had recorded the job first).
        public var inserted: Bool
        /// The drawing the record holds or points at; nil for a record without one (expired by
        /// retention).
        public var drawing: StoredDrawing?
    }

    /// Records an accepted job (idempotent: a second call changes nothing) with its drawing:
    /// `image` goes into the record when `payload` says ``StoredDrawing/inRecord``, else the
    /// record points at the GridFS file already uploaded. One round trip (an upsert that
    /// answers with the earlier record's drawing fields, if there was one).
    @discardableResult
    public func accept(jobID: String, payload: GenerationPayload, image: Data, model: String, now: Date) async throws -> Recorded {
        var fields: BSONDocument = [
            "chat_id": .int64(payload.chatID), "status": "accepted", "model": .string(model),
            "slots": .array(payload.slots.map(BSON.string)), "outputs": [:], "calls": [], "created_at": .date(now),
        ]
        switch payload.drawing {
        case .inRecord:
            fields["input_image"] = .binary(image)
            fields["input_image_size"] = .int64(Int64(image.count))
        case .gridFS(let id):
            fields["input_image_id"] = .string(id)
        }
        do {
            let earlier = try await generations.findOneAndUpdate(
                ["_id": .string(jobID)], ["$setOnInsert": .document(fields)], upsert: true, returnNew: false,
                projection: Self.drawingFields)
            guard let earlier else { return Recorded(inserted: true, drawing: payload.drawing) }
            return Recorded(inserted: false, drawing: Self.drawing(of: earlier))
        } catch let error as MongoError where error.isDuplicateKey {
            // Two upserts raced and this one lost the insert: the other's record stands.
            return Recorded(inserted: false, drawing: try await recordedInput(jobID: jobID))
        }
    }

    /// The fields that tell where a record's drawing is, without its bytes.
    static let drawingFields: BSONDocument = ["input_image_id": 1, "input_image_size": 1]

    /// Where `record` (projected on ``drawingFields``) keeps its drawing.
    static func drawing(of record: BSONDocument) -> StoredDrawing? {
        if let id = record["input_image_id"]?.stringValue { return .gridFS(id) }
        return record["input_image_size"] != nil ? .inRecord : nil
    }

    /// What a job's record says when an attempt starts: the slots already done (slot → GridFS
    /// id, hex) and, when `drawing` is ``StoredDrawing/inRecord``, the drawing's bytes (nil if
    /// gone): one find.
    public func progress(jobID: String, drawing: StoredDrawing) async throws -> (outputs: [String: String], input: Data?) {
        var projection: BSONDocument = ["outputs": 1]
        if drawing == .inRecord { projection["input_image"] = 1 }
        guard let document = try await generations.findOne(["_id": .string(jobID)], projection: projection) else { return ([:], nil) }
        var result: [String: String] = [:]
        for (slot, value) in document["outputs"]?.documentValue ?? [:] { if let id = value.stringValue { result[slot] = id } }
        return (result, document["input_image"]?.binaryValue)
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
