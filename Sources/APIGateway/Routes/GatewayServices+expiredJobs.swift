import Foundation

extension GatewayServices {
    /// 410 `images_expired` when retention (`IMAGE_RETENTION_DAYS`) removed job `id`'s
    /// images (its record is a tombstone), else `otherwise`.
    func expiredJobError(_ id: String, otherwise: APIError) async throws -> APIError {
        guard let expired = try await generations.expiredAt(jobID: id) else { return otherwise }
        return APIError.imagesExpired(id, at: expired)
    }
}
