/// Size limits applied before any pixel is decoded.
public struct ImageLimits: Sendable, Equatable {
    /// Largest accepted width in pixels.
    public var maxWidth: Int
    /// Largest accepted height in pixels.
    public var maxHeight: Int
    /// Largest accepted area (width × height) in pixels.
    public var maxPixels: Int
    /// Memory ImageMagick may use for pixel caches (process-wide; see `MagickImage`).
    public var maxMemoryBytes: Int

    /// Creates limits; the defaults suit phone photos of drawings.
    public init(
        maxWidth: Int = 12_000,
        maxHeight: Int = 12_000,
        maxPixels: Int = 40_000_000,
        maxMemoryBytes: Int = 256 * 1024 * 1024
    ) {
        self.maxWidth = maxWidth
        self.maxHeight = maxHeight
        self.maxPixels = maxPixels
        self.maxMemoryBytes = maxMemoryBytes
    }

    /// The default limits.
    public static let `default` = ImageLimits()

    /// Whether `width`×`height` is within these limits.
    public func allows(width: Int, height: Int) -> Bool {
        let area = width.multipliedReportingOverflow(by: height)
        return width > 0 && height > 0 && width <= maxWidth && height <= maxHeight
            && !area.overflow && area.partialValue <= maxPixels
    }
}
