import CMagickWand
import Foundation

extension MagickImage {
    /// Validates, decodes and re-encodes an uploaded image into a clean, bounded one.
    ///
    /// Steps: `inspect` (magic bytes, header size vs `limits`); decode with the sniffed
    /// coder only; keep the first frame; auto-orient from EXIF; strip all metadata;
    /// convert to sRGB 8-bit; shrink to fit `maxSide`×`maxSide` (Lanczos, never
    /// upscaled); flatten transparency onto white for JPEG; encode as `output`.
    ///
    /// A PNG that is already in that form (see `PNGLayout.plainHeader`: no metadata, one
    /// frame, 8 bits per sample) and fits `maxSide`, asked for as PNG, is decoded in full to
    /// prove it intact and then kept byte for byte: re-encoding it would give the same pixels
    /// at the cost of the encode.
    ///
    /// - Parameters:
    ///   - quality: JPEG/WebP quality 1...100 (ignored for PNG and GIF).
    /// - Returns: the encoded bytes and their format and size.
    /// - Throws: `ImageError` (`.undecodable` for truncated or corrupt input).
    public static func normalize(
        _ data: Data,
        maxSide: Int,
        output: ImageFormat = .png,
        quality: Int = 90,
        limits: ImageLimits = .default
    ) throws -> (data: Data, info: ImageInfo) {
        if output == .png, let kept = try keptAsItIs(data, maxSide: maxSide, limits: limits) { return kept }
        return try withDecoded(data, maxSide: maxSide, limits: limits) { wand in
            if output == .jpeg { try flattenOntoWhite(wand) }
            let bytes = try encode(wand, as: output, quality: quality)
            let (width, height) = size(wand)
            return (bytes, ImageInfo(format: output, width: width, height: height))
        }
    }

    /// `data` itself when it is a plain PNG (`PNGLayout.plainHeader`) within `limits` and
    /// `maxSide` whose pixels decode in full to the size its header declares; `nil` when it
    /// needs the whole normalisation.
    static func keptAsItIs(_ data: Data, maxSide: Int, limits: ImageLimits) throws -> (data: Data, info: ImageInfo)? {
        guard let header = PNGLayout.plainHeader(data), header.width > 0, header.height > 0,
            max(header.width, header.height) <= max(1, maxSide)
        else { return nil }
        guard limits.allows(width: header.width, height: header.height) else {
            throw ImageError.tooManyPixels(width: header.width, height: header.height)
        }
        let decoded = try withWand { wand in
            try read(data, as: .png, into: wand, ping: false)
            return size(wand)
        }
        guard decoded == header else { return nil }
        return (data, ImageInfo(format: .png, width: header.width, height: header.height))
    }

    /// Inspects and decodes `data`, applies the normalisation steps (first frame,
    /// orientation, strip, sRGB, fit in `maxSide`) and hands the wand to `body`.
    static func withDecoded<T>(
        _ data: Data,
        maxSide: Int,
        limits: ImageLimits,
        _ body: (OpaquePointer) throws -> T
    ) throws -> T {
        let info = try inspect(data, limits: limits)
        let side = max(1, maxSide)
        return try withWand { wand in
            if info.format == .jpeg, max(info.width, info.height) > side * 2 {
                // Let libjpeg decode at a reduced DCT scale (still >= side on both axes).
                _ = MagickSetOption(wand, "jpeg:size", "\(side)x\(side)")
            }
            try read(data, as: info.format, into: wand, ping: false)
            _ = MagickSetImagePage(wand, 0, 0, 0, 0)
            try check(MagickAutoOrientImage(wand), wand, "auto-orient")
            try check(MagickStripImage(wand), wand, "strip")
            if MagickGetImageColorspace(wand) != sRGBColorspace {
                try check(MagickTransformImageColorspace(wand, sRGBColorspace), wand, "to sRGB")
            }
            try check(MagickSetImageDepth(wand, 8), wand, "depth")
            try fit(wand, maxSide: side)
            return try body(wand)
        }
    }

    /// Shrinks the wand's image to fit inside `maxSide`×`maxSide`, keeping aspect.
    static func fit(_ wand: OpaquePointer, maxSide: Int) throws {
        let (width, height) = size(wand)
        guard width > maxSide || height > maxSide else { return }
        let scale = Double(maxSide) / Double(max(width, height))
        let newWidth = max(1, Int((Double(width) * scale).rounded()))
        let newHeight = max(1, Int((Double(height) * scale).rounded()))
        try check(
            MagickResizeImage(wand, newWidth, newHeight, LanczosFilter, 1.0), wand, "resize")
    }

    /// Replaces transparency with a white background (for formats without alpha).
    static func flattenOntoWhite(_ wand: OpaquePointer) throws {
        guard MagickGetImageAlphaChannel(wand) == MagickTrue else { return }
        try withPixel("white") { white in
            try check(MagickSetImageBackgroundColor(wand, white), wand, "background")
        }
        try check(MagickSetImageAlphaChannel(wand, RemoveAlphaChannel), wand, "remove alpha")
    }
}
