import Foundation
import OzhSupport

extension MagickImage {
    /// `inspect` on `Blocking.images`, for async callers.
    public static func inspectAsync(_ data: Data, limits: ImageLimits = .default) async throws -> ImageInfo {
        try await Blocking.run(on: Blocking.images) { try inspect(data, limits: limits) }
    }

    /// `normalize` on `Blocking.images`, for async callers.
    public static func normalizeAsync(
        _ data: Data,
        maxSide: Int,
        output: ImageFormat = .png,
        quality: Int = 90,
        limits: ImageLimits = .default
    ) async throws -> (data: Data, info: ImageInfo) {
        let result = try await Blocking.run(on: Blocking.images) {
            let normalized = try normalize(data, maxSide: maxSide, output: output, quality: quality, limits: limits)
            return NormalizedImage(data: normalized.data, info: normalized.info)
        }
        return (result.data, result.info)
    }

    /// `stylize` on `Blocking.images`, for async callers.
    public static func stylizeAsync(
        _ data: Data,
        variant: Int,
        output: ImageFormat = .png,
        limits: ImageLimits = .default
    ) async throws -> Data {
        try await Blocking.run(on: Blocking.images) { try stylize(data, variant: variant, output: output, limits: limits) }
    }

    /// `makeImage` on `Blocking.images`, for async callers.
    public static func makeImageAsync(
        width: Int,
        height: Int,
        format: ImageFormat,
        color: String = "#ff8800",
        orientation: Int? = nil
    ) async throws -> Data {
        try await Blocking.run(on: Blocking.images) {
            try makeImage(width: width, height: height, format: format, color: color, orientation: orientation)
        }
    }
}

/// A Sendable carrier for `normalize`'s tuple across the thread-pool hop.
private struct NormalizedImage: Sendable {
    let data: Data
    let info: ImageInfo
}
