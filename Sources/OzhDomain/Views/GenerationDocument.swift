import Foundation
import OzhMongo
import OzhQueue
import OzhSupport

/// The seed's generation answer: `{main_images, bonus_images (base64), ozhivashki_spent,
/// new_balance}` plus `job_id`, built from a succeeded job's result (image ids in GridFS).
/// Shared by the gateway (`GET /jobs/{id}`, `?wait=`) and the callback deliveries.
public enum GenerationDocument {
    /// Throws ``ImagesExpired`` when retention deleted the images.
    public static func json(jobID: String, result: String, store: GenerationStore) async throws -> JSONValue {
        let parsed = try JobKind.generation.decode(result: result)
        let main: [Data]
        let bonus: [Data]
        do {
            async let mainImages = images(parsed.mainImageIDs, store)
            async let bonusImages = images(parsed.bonusImageIDs, store)
            (main, bonus) = try await (mainImages, bonusImages)
        } catch MongoError.notFound {
            guard let expired = try await store.expiredAt(jobID: jobID) else { throw MongoError.notFound }
            throw ImagesExpired(jobID: jobID, at: expired)
        }
        return .object([
            ("main_images", .array(main.map { .string($0.base64EncodedString()) })),
            ("bonus_images", .array(bonus.map { .string($0.base64EncodedString()) })),
            ("ozhivashki_spent", .int(Int64(parsed.ozhivashkiSpent))),
            ("new_balance", .int(parsed.newBalance)),
            ("job_id", .string(jobID)),
        ])
    }

    /// The GridFS files `ids`, read in parallel, in order.
    public static func images(_ ids: [String], _ store: GenerationStore) async throws -> [Data] {
        try await withThrowingTaskGroup(of: (Int, Data).self) { group in
            for (index, id) in ids.enumerated() { group.addTask { (index, try await store.image(id)) } }
            var images = [Data](repeating: Data(), count: ids.count)
            for try await (index, data) in group { images[index] = data }
            return images
        }
    }
}
