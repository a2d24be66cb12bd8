import Foundation
import OzhSupport

/// A succeeded generation's images were deleted by retention (the gateway answers 410 `images_expired`).
public struct ImagesExpired: CodedError, Equatable {
    /// The job.
    public let jobID: String
    /// When retention deleted them.
    public let at: Date

    public var code: String { "images_expired" }
    public var message: String { "job \(jobID)'s images were deleted on \(Timestamp.format(at))" }
}
