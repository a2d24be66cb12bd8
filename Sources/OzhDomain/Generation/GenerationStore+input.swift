import Foundation
import OzhMongo

extension GenerationStore {
    /// The GridFS id (hex) of the drawing already recorded for `jobID`, if its record exists
    /// (a retry of a request that recorded the job but did not queue it reuses it).
    public func recordedInput(jobID: String) async throws -> String? {
        try await generations.findOne(["_id": .string(jobID)], projection: ["input_image_id": 1])?["input_image_id"]?.stringValue
    }

    /// Stores the normalized drawing of `jobID` and returns its GridFS id (hex).
    public func uploadInput(jobID: String, chatID: Int64, image: Data) async throws -> String {
        try await images.upload(
            image, filename: "\(jobID)-input",
            metadata: [
                "job_id": .string(jobID), "chat_id": .int64(chatID), "role": "input",
            ]
        ).hex
    }

    /// Removes a drawing this request uploaded for a job that was not queued, and the record
    /// when it still points at it and the job never started. A missing file is no error.
    public func discardInput(jobID: String, imageID: String) async throws {
        _ = try await generations.deleteOne(["_id": .string(jobID), "input_image_id": .string(imageID), "status": "accepted"])
        try await deleteImage(imageID)
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
