import Foundation
import OzhMongo
import OzhQueue
import OzhSupport

/// The seed's generation answer: `{main_images, bonus_images (base64), ozhivashki_spent,
/// new_balance}` plus `job_id`, formatted from a succeeded job's result and its images (read by
/// ``GenerationStore/resultImages(jobID:result:)``). Shared by the gateway (`GET /jobs/{id}`,
/// `?wait=`) and the callback deliveries.
public enum GenerationDocument {
    /// The body of job `jobID` with `images`.
    public static func json(jobID: String, images: GenerationImages) -> JSONValue {
        .object([
            ("main_images", .array(images.main.map { .string($0.base64EncodedString()) })),
            ("bonus_images", .array(images.bonus.map { .string($0.base64EncodedString()) })),
            ("ozhivashki_spent", .int(Int64(images.result.ozhivashkiSpent))),
            ("new_balance", .int(images.result.newBalance)),
            ("job_id", .string(jobID)),
        ])
    }
}
