import Foundation
import OzhSupport

extension APIError {
    /// 410 `images_expired`: job `id`'s images were deleted by retention at `at`.
    static func imagesExpired(_ id: String, at: Date) -> APIError {
        APIError(.gone, "images_expired", "job \(id)'s images were deleted on \(Timestamp.format(at)) (they are kept IMAGE_RETENTION_DAYS days)")
    }
}
