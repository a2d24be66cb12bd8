/// What `MagickImage.inspect` learns from an image's header.
public struct ImageInfo: Sendable, Equatable {
    /// The sniffed format.
    public var format: ImageFormat
    /// Width in pixels (of the first frame).
    public var width: Int
    /// Height in pixels (of the first frame).
    public var height: Int

    /// Creates an info value.
    public init(format: ImageFormat, width: Int, height: Int) {
        self.format = format
        self.width = width
        self.height = height
    }
}
