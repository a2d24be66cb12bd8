import CMagickWand
import Foundation

extension MagickImage {
    /// Draws a simple test picture: a `color` background with a white disc and a dark
    /// bar (so effects and orientation are visible), encoded as `format`.
    ///
    /// - Parameter orientation: EXIF orientation 1...8 to record (JPEG only; the pixels
    ///   are not rotated, the tag just says how a viewer should rotate them).
    public static func makeImage(
        width: Int,
        height: Int,
        format: ImageFormat,
        color: String = "#ff8800",
        orientation: Int? = nil
    ) throws -> Data {
        guard width > 0, height > 0 else { throw ImageError.processingFailed("empty canvas") }
        return try withWand { wand in
            try withPixel(color) { background in
                try check(MagickNewImage(wand, width, height, background), wand, "new image")
            }
            try drawPattern(wand, width: width, height: height)
            if let orientation, format == .jpeg, (1...8).contains(orientation) {
                let type = OrientationType(rawValue: UInt32(orientation))
                try check(MagickSetImageOrientation(wand, type), wand, "orientation")
                let exif = exifProfile(orientation: UInt16(orientation))
                let ok = exif.withUnsafeBytes { MagickSetImageProfile(wand, "exif", $0.baseAddress, $0.count) }
                try check(ok, wand, "exif profile")
            }
            return try encode(wand, as: format, quality: 90)
        }
    }

    /// A noisy, photo-like JPEG (incompressible like a camera photo) for timings.
    public static func makeNoisyJPEG(width: Int, height: Int) throws -> Data {
        try withWand { wand in
            try withPixel("#808080") { pixel in
                try check(MagickNewImage(wand, width, height, pixel), wand, "new image")
            }
            try drawPattern(wand, width: width, height: height)
            try check(MagickAddNoiseImage(wand, GaussianNoise), wand, "noise")
            return try encode(wand, as: .jpeg, quality: 92)
        }
    }

    /// An animated GIF with one solid frame per (width, height, color) (tests, emulator).
    static func makeAnimatedGIF(frames: [(width: Int, height: Int, color: String)]) throws -> Data {
        try withWand { wand in
            for frame in frames {
                try withPixel(frame.color) { pixel in
                    try check(MagickNewImage(wand, frame.width, frame.height, pixel), wand, "new frame")
                }
                try check(MagickSetImageFormat(wand, "GIF"), wand, "frame format")
                try check(MagickSetImageDelay(wand, 10), wand, "delay")
            }
            try check(MagickSetFormat(wand, "GIF"), wand, "format")
            var length = 0
            guard let blob = MagickGetImagesBlob(wand, &length), length > 0 else {
                throw ImageError.processingFailed("encode GIF: \(takeException(wand).reason)")
            }
            defer { _ = MagickRelinquishMemory(blob) }
            return Data(bytes: blob, count: length)
        }
    }

    /// A white disc in the upper-left quarter and a dark bar along the bottom.
    private static func drawPattern(_ wand: OpaquePointer, width: Int, height: Int) throws {
        guard let draw = NewDrawingWand() else { throw ImageError.processingFailed("drawing wand") }
        defer { _ = DestroyDrawingWand(draw) }
        let w = Double(width), h = Double(height)
        try withPixel("white") { DrawSetFillColor(draw, $0) }
        DrawCircle(draw, w * 0.3, h * 0.3, w * 0.3 + min(w, h) * 0.2, h * 0.3)
        try withPixel("#203040") { DrawSetFillColor(draw, $0) }
        DrawRectangle(draw, w * 0.1, h * 0.8, w * 0.9, h * 0.9)
        try check(MagickDrawImage(wand, draw), wand, "draw")
    }

    /// A minimal EXIF APP1 payload holding only the Orientation tag (0x0112).
    static func exifProfile(orientation: UInt16) -> Data {
        var bytes: [UInt8] = Array("Exif".utf8) + [0, 0]
        bytes += [0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08] // big-endian TIFF, IFD at 8
        bytes += [0x00, 0x01] // one entry
        bytes += [0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01] // Orientation, SHORT, count 1
        bytes += [UInt8(orientation >> 8), UInt8(orientation & 0xFF), 0x00, 0x00]
        bytes += [0x00, 0x00, 0x00, 0x00] // no next IFD
        return Data(bytes)
    }
}
