import Foundation
import Hummingbird
import NIOCore
import OzhImages

extension JobsRoutes {
    /// `?format=` of `GET /jobs/{id}/images/{n}`: nil (as stored), `jpeg` (or `jpg`) or `png`;
    /// anything else is `400 invalid_image_format`.
    static func imageFormat(_ request: Request) throws -> ImageFormat? {
        guard let text = request.uri.queryParameters.get("format") else { return nil }
        switch text.lowercased() {
        case "jpeg", "jpg": return .jpeg
        case "png": return .png
        default: throw APIError.badRequest("invalid_image_format", "query 'format' must be jpeg or png")
        }
    }

    /// The cache key and tag name of file `file` converted to `format`.
    static func convertedKey(_ file: String, _ format: ImageFormat) -> String { file + "." + format.rawValue }

    /// `body` (GridFS file `file`) re-encoded as `format` on the image thread pool (MagickWand is
    /// blocking C), fitted inside 5000 px a side (Telegram wants width + height ≤ 10000),
    /// transparency flattened onto white for JPEG, quality 90; kept in `caches.images` under its
    /// own key and `ETag` (`"<file>.jpeg"`), so repeated downloads never encode twice.
    func converted(_ body: ByteBuffer, file: String, to format: ImageFormat) async throws -> (ByteBuffer, String) {
        let original = Data(buffer: body, byteTransferStrategy: .noCopy)
        let encoded = try await MagickImage.normalizeAsync(original, maxSide: Self.telegramMaxSide, output: format, quality: 90)
        let key = Self.convertedKey(file, format)
        let converted = ByteBuffer(bytes: encoded.data)
        let etag = Self.imageTag(key)
        services.caches.images.put(key, version: "", body: converted, etag: etag)
        return (converted, etag)
    }

    /// The longest side a converted image keeps.
    static let telegramMaxSide = 5000
}
