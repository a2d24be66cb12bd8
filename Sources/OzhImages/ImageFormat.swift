import Foundation

/// The raster formats the bot accepts and produces.
///
/// Only these four are ever handed to ImageMagick, and only after `sniff` recognised the
/// file's magic bytes: the format is never taken from a file name, a MIME header or
/// ImageMagick's own content detection.
public enum ImageFormat: String, Sendable, CaseIterable {
    case png, jpeg, webp, gif

    /// Recognises a format from the first bytes of `bytes` (magic numbers only).
    ///
    /// Returns `nil` for anything else: SVG, MVG, PDF, text, empty data, and polyglots
    /// that do not start with one of the four signatures.
    public static func sniff(_ bytes: Data) -> ImageFormat? {
        let head = [UInt8](bytes.prefix(12))
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: Array("GIF87a".utf8)) || head.starts(with: Array("GIF89a".utf8)) {
            return .gif
        }
        if head.count == 12, head.starts(with: Array("RIFF".utf8)),
            Array(head[8..<12]) == Array("WEBP".utf8)
        {
            return .webp
        }
        return nil
    }

    /// The IANA media type, e.g. `image/png`.
    public var mimeType: String {
        switch self {
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .webp: "image/webp"
        case .gif: "image/gif"
        }
    }

    /// The ImageMagick coder name used as an explicit read/write format, e.g. `PNG`.
    public var magickName: String {
        switch self {
        case .png: "PNG"
        case .jpeg: "JPEG"
        case .webp: "WEBP"
        case .gif: "GIF"
        }
    }

    /// The usual file extension, without the dot.
    public var fileExtension: String {
        self == .jpeg ? "jpg" : rawValue
    }
}
