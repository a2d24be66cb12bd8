import Foundation
import OzhQueue

extension GenerationService {
    /// What accepting an upload needs besides the core; the gateway builds it once from its settings.
    public struct Intake: Sendable {
        /// The `Idempotency-Key` claims.
        public let idempotency: IdempotencyStore
        /// Asked before anything is charged (every project's day spent, every key disabled).
        public let capacity: any GenerationCapacity
        /// The Gemini model recorded with the job (`GEMINI_MODEL`).
        public let model: String
        /// Main images per generation (`MAIN_IMAGES`).
        public let mainImages: Int
        /// Decodes the uploaded drawing and encodes the one the job keeps.
        public let normalize: DrawingNormalizer

        public init(
            idempotency: IdempotencyStore, capacity: any GenerationCapacity, model: String, mainImages: Int, normalize: @escaping DrawingNormalizer
        ) {
            self.idempotency = idempotency
            self.capacity = capacity
            self.model = model
            self.mainImages = mainImages
            self.normalize = normalize
        }
    }

    /// Decodes an uploaded drawing and re-encodes it as the image the job keeps (the gateway's:
    /// ImageMagick's `normalize` to a PNG of at most `IMAGE_MAX_SIDE` a side); throws, before
    /// anything is charged, for a drawing it cannot decode. Handed in rather than called here,
    /// so the workers, which link this module but never accept an upload, do not load
    /// ImageMagick and its libraries.
    public typealias DrawingNormalizer = @Sendable (Data) async throws -> Data

    /// One upload as the route parsed and checked it (fields, size, callback).
    public struct Upload: Sendable {
        /// Who the generation is for (and charged to).
        public var chatID: Int64
        /// The drawing as uploaded (not yet decoded).
        public var image: Data
        /// The request's `Idempotency-Key`, already validated.
        public var idempotencyKey: String?
        /// The job hash's callback fields (empty without a callback).
        public var callback: [(String, String)]

        public init(chatID: Int64, image: Data, idempotencyKey: String?, callback: [(String, String)]) {
            self.chatID = chatID
            self.image = image
            self.idempotencyKey = idempotencyKey
            self.callback = callback
        }
    }

    /// What accepting an upload decided.
    public enum Acceptance: Sendable, Equatable {
        /// Charged, stored, recorded and queued now (or completed for a retry whose first try stopped midway).
        case accepted(jobID: String)
        /// A retry with the same `Idempotency-Key` of a job already queued: nothing was done.
        case replayed(jobID: String)
        /// Refused before anything was charged or stored (the key stays claimed, so a retry completes it).
        case refused(GenerationRefusal, jobID: String)

        /// The job the answer is about.
        public var jobID: String {
            switch self {
            case .accepted(let id), .replayed(let id), .refused(_, let id): return id
            }
        }
    }
}

/// Why a generation was refused before it cost anything (the gateway answers `503` with
/// `Retry-After`: `quota_exhausted`, `generation_unavailable`).
public enum GenerationRefusal: Sendable, Equatable {
    /// Every project's daily quota is spent; the first reset is `retryAfter` seconds away.
    case quotaExhausted(retryAfter: Int)
    /// Every Gemini key is disabled; one may come back in `retryAfter` seconds.
    case generationUnavailable(retryAfter: Int)

    /// Seconds until a retry may succeed (at least 1).
    public var retryAfter: Int {
        switch self {
        case .quotaExhausted(let seconds), .generationUnavailable(let seconds): return seconds
        }
    }
}
