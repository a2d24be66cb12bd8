import CMagickWand
import Foundation

/// The only type that touches MagickWand: every `MagickWand*`, `PixelWand*` and raw
/// buffer lives and dies inside its static methods (see the `+inspect`, `+normalize`,
/// `+render`, `+security` and `+async` extensions).
///
/// All methods are synchronous and CPU-bound; from async code use the `…Async`
/// wrappers, which run on `Blocking.images`.
public enum MagickImage {
    /// Runs `body` with a fresh wand and always destroys it.
    static func withWand<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        ensureGenesis()
        guard let wand = NewMagickWand() else {
            throw ImageError.processingFailed("cannot allocate a MagickWand")
        }
        defer { _ = DestroyMagickWand(wand) }
        return try body(wand)
    }

    /// Runs `body` with a pixel wand set to `color` and always destroys it.
    static func withPixel<T>(_ color: String, _ body: (OpaquePointer) throws -> T) throws -> T {
        guard let pixel = NewPixelWand() else {
            throw ImageError.processingFailed("cannot allocate a PixelWand")
        }
        defer { _ = DestroyPixelWand(pixel) }
        guard PixelSetColor(pixel, color) == MagickTrue else {
            throw ImageError.processingFailed("bad color \(color)")
        }
        return try body(pixel)
    }

    /// The wand's pending exception (severity and text), cleared afterwards.
    static func takeException(_ wand: OpaquePointer) -> (severity: ExceptionType, reason: String) {
        var severity = UndefinedException
        let text = MagickGetException(wand, &severity)
        defer {
            if let text { _ = MagickRelinquishMemory(text) }
            _ = MagickClearException(wand)
        }
        let reason = text.map { String(cString: $0) } ?? ""
        return (severity, reason.isEmpty ? "unknown ImageMagick error" : reason)
    }

    /// Throws `processingFailed` with the wand's exception when `ok` is false.
    static func check(_ ok: MagickBooleanType, _ wand: OpaquePointer, _ step: String) throws {
        guard ok == MagickTrue else {
            throw ImageError.processingFailed("\(step): \(takeException(wand).reason)")
        }
    }

    /// Reads `data` as exactly `format` (never auto-detected), first frame only.
    ///
    /// `ping` reads only the header. Any error, and any corrupt-image warning (truncated
    /// PNG/JPEG), becomes `.undecodable`.
    static func read(_ data: Data, as format: ImageFormat, into wand: OpaquePointer, ping: Bool) throws {
        // An explicit coder: BlobToImage then reads "PNG:img[0]", so ImageMagick's magic
        // detection never runs and only the first frame (scene 0) is read.
        try check(MagickSetFormat(wand, format.magickName), wand, "set format")
        try check(MagickSetFilename(wand, "img[0]"), wand, "set filename")
        let ok = data.withUnsafeBytes { raw -> MagickBooleanType in
            guard let base = raw.baseAddress else { return MagickFalse }
            return ping ? MagickPingImageBlob(wand, base, raw.count) : MagickReadImageBlob(wand, base, raw.count)
        }
        let (severity, reason) = takeException(wand)
        if ok != MagickTrue || MagickGetNumberImages(wand) == 0 {
            if severity == ResourceLimitError || severity == ResourceLimitFatalError {
                throw ImageError.processingFailed(reason)
            }
            let why = severity == UndefinedException ? "\(format.magickName) decoder gave up" : reason
            throw ImageError.undecodable(why)
        }
        if isCorruption(severity) || severity.rawValue >= ErrorException.rawValue {
            throw ImageError.undecodable(reason)
        }
        // IM 6 coders report warnings such as libjpeg's "Premature end of JPEG file"
        // on the image's own ExceptionInfo, not on the wand's.
        _ = MagickSetIteratorIndex(wand, 0)
        if let image = GetImageFromMagickWand(wand) {
            let imageSeverity = image.pointee.exception.severity
            if isCorruption(imageSeverity) || imageSeverity.rawValue >= ErrorException.rawValue {
                let text = image.pointee.exception.reason.map { String(cString: $0) } ?? "corrupt image"
                throw ImageError.undecodable(text)
            }
        }
        while MagickGetNumberImages(wand) > 1 {
            _ = MagickSetIteratorIndex(wand, 1)
            _ = MagickRemoveImage(wand)
        }
        _ = MagickSetIteratorIndex(wand, 0)
    }

    /// Corrupt-image warnings and errors: ImageMagick returns a partial image for
    /// truncated files with only a warning, which we refuse.
    static func isCorruption(_ severity: ExceptionType) -> Bool {
        severity == CorruptImageWarning || severity == CorruptImageError
            || severity == CorruptImageFatalError
    }

    /// Encodes the wand's current image as `format`.
    static func encode(_ wand: OpaquePointer, as format: ImageFormat, quality: Int) throws -> Data {
        try check(MagickSetImageFormat(wand, format.magickName), wand, "set output format")
        try check(MagickSetFormat(wand, format.magickName), wand, "set output format")
        if format == .jpeg || format == .webp {
            let q = max(1, min(100, quality))
            try check(MagickSetImageCompressionQuality(wand, q), wand, "set quality")
        }
        var length = 0
        guard let blob = MagickGetImageBlob(wand, &length), length > 0 else {
            throw ImageError.processingFailed("encode \(format.rawValue): \(takeException(wand).reason)")
        }
        defer { _ = MagickRelinquishMemory(blob) }
        return Data(bytes: blob, count: length)
    }

    /// Current image size of the wand.
    static func size(_ wand: OpaquePointer) -> (width: Int, height: Int) {
        (Int(MagickGetImageWidth(wand)), Int(MagickGetImageHeight(wand)))
    }
}
