import Foundation
import OzhMongo

extension GenerationStore {
    /// The drawing already recorded for `jobID`, if its record exists and holds one (a retry
    /// of a request that recorded the job but did not queue it reuses it).
    public func recordedInput(jobID: String) async throws -> StoredDrawing? {
        guard let record = try await generations.findOne(["_id": .string(jobID)], projection: Self.drawingFields) else { return nil }
        return Self.drawing(of: record)
    }

    /// Stores the normalized drawing of `jobID` in GridFS and returns its id (hex): for a
    /// drawing over ``inlineDrawingLimit``, which the record cannot hold.
    public func uploadInput(jobID: String, chatID: Int64, image: Data) async throws -> String {
        try await images.upload(
            image, filename: "\(jobID)-input",
            metadata: [
                "job_id": .string(jobID), "chat_id": .int64(chatID), "role": "input",
            ]
        ).hex
    }

    /// Removes the record of a job that was not queued when this request created it and the
    /// job never started, and the drawing this request uploaded to GridFS (if it did). A
    /// missing file is no error.
    public func discardInput(jobID: String, drawing: StoredDrawing) async throws {
        var filter: BSONDocument = ["_id": .string(jobID), "status": "accepted"]
        if case .gridFS(let id) = drawing { filter["input_image_id"] = .string(id) }
        _ = try await generations.deleteOne(filter)
        if case .gridFS(let id) = drawing { try await deleteImage(id) }
    }

    /// Deletes one GridFS file; a file already gone is no error.
    public func deleteImage(_ hex: String) async throws {
        guard let id = ObjectId(hex: hex) else { return }
        do {
            try await images.delete(id)
        } catch MongoError.notFound {
            // Already deleted (a retry, or another worker's pass).
        }
    }
}
