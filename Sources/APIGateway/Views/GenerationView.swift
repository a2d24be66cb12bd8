import Foundation
import OzhDomain
import OzhSupport

/// The seed's generation answer (``GenerationDocument``), with retention's deletion as 410 `images_expired`.
enum GenerationView {
    /// Throws 410 `images_expired` when retention deleted the images.
    static func json(jobID: String, result: String, store: GenerationStore) async throws -> JSONValue {
        do {
            return try await GenerationDocument.json(jobID: jobID, result: result, store: store)
        } catch let expired as ImagesExpired {
            throw APIError.imagesExpired(expired.jobID, at: expired.at)
        }
    }
}
