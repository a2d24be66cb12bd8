import Foundation
import OzhDomain
import OzhQueue

extension GenerationStore {
    /// ``resultImages(jobID:result:)`` for an answer: retention's deletion is 410 `images_expired`.
    func answerImages(jobID: String, result: String) async throws -> GenerationImages {
        do {
            return try await resultImages(jobID: jobID, result: result)
        } catch let expired as ImagesExpired {
            throw APIError.imagesExpired(expired.jobID, at: expired.at)
        }
    }

    /// ``resultImages(of:)`` for an answer: retention's deletion is 410 `images_expired`.
    func answerImages(of job: Job) async throws -> GenerationImages? {
        do {
            return try await resultImages(of: job)
        } catch let expired as ImagesExpired {
            throw APIError.imagesExpired(expired.jobID, at: expired.at)
        }
    }
}
