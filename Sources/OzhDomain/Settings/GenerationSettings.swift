import OzhSettings

/// What one generation may be: its upload, its images, how many a user may have unfinished,
/// how long it may wait for quota.
public struct GenerationSettings: Sendable, Equatable {
    /// `MAX_UPLOAD_BYTES`: largest drawing accepted (default 10 MiB).
    public var maxUploadBytes: Int
    /// `IMAGE_MAX_SIDE`: the drawing is fitted inside this many pixels (default 1024).
    public var imageMaxSide: Int
    /// `MAIN_IMAGES`: images per generation before bonuses (default 4).
    public var mainImages: Int
    /// `MAX_ACTIVE_GENERATIONS`: unfinished generations per user (default 2).
    public var maxActive: Int
    /// A generation postponed (waiting for quota) longer than this after it was accepted ends
    /// failed and refunded (`MAX_POSTPONE_HOURS`, default 24).
    public var maxPostponeHours: Int

    /// Reads and validates the generation settings from `source`.
    public init(source: SettingsSource) throws(SettingsError) {
        maxUploadBytes = try source.int("MAX_UPLOAD_BYTES", default: 10 * 1024 * 1024, in: 1024...(100 * 1024 * 1024))
        imageMaxSide = try source.int("IMAGE_MAX_SIDE", default: 1024, in: 64...4096)
        mainImages = try source.int("MAIN_IMAGES", default: 4, in: 1...10)
        maxActive = try source.int("MAX_ACTIVE_GENERATIONS", default: 2, in: 1...100)
        maxPostponeHours = try source.int("MAX_POSTPONE_HOURS", default: 24, in: 1...720)
    }
}
