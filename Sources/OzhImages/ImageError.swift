import OzhSupport

/// Why an image was refused or could not be processed. Codes are stable.
public enum ImageError: CodedError, Equatable {
    /// Not one of PNG, JPEG, WebP, GIF by magic bytes (SVG, MVG, PDF, text, polyglots...).
    case unsupportedFormat
    /// Recognised, but truncated or corrupt; the associated text is ImageMagick's reason.
    case undecodable(String)
    /// Dimensions exceed `ImageLimits` (a pixel bomb or simply too big).
    case tooManyPixels(width: Int, height: Int)
    /// Zero bytes.
    case empty
    /// Decoding succeeded but a later step (resize, encode...) failed.
    case processingFailed(String)

    /// Stable snake_case code.
    public var code: String {
        switch self {
        case .unsupportedFormat: "unsupported_image_format"
        case .undecodable: "image_undecodable"
        case .tooManyPixels: "image_too_large"
        case .empty: "image_empty"
        case .processingFailed: "image_processing_failed"
        }
    }

    /// Human-readable explanation, safe to log and show.
    public var message: String {
        switch self {
        case .unsupportedFormat:
            "Only PNG, JPEG, WebP and GIF images are accepted."
        case .undecodable(let reason):
            "The image is truncated or corrupt (\(reason))."
        case .tooManyPixels(let width, let height):
            "The image is too large (\(width)×\(height) pixels)."
        case .empty:
            "The image is empty."
        case .processingFailed(let reason):
            "The image could not be processed (\(reason))."
        }
    }
}
