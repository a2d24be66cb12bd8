import CMagickWand
import Foundation

extension MagickImage {
    /// Identifies `data` and reads its size from the header only (no pixel decode).
    ///
    /// The size is checked twice: from the header bytes (pure Swift, so a bomb is named
    /// as such even when ImageMagick's own limits make its ping fail), then from
    /// `MagickPingImageBlob`.
    ///
    /// - Throws: `.empty` for zero bytes, `.unsupportedFormat` unless the magic bytes
    ///   say PNG/JPEG/WebP/GIF, `.undecodable` if the header cannot be read or declares
    ///   no pixels (0 wide or high), `.tooManyPixels` if the size exceeds `limits` (pixel
    ///   bombs are refused here, before any pixel memory is allocated).
    public static func inspect(_ data: Data, limits: ImageLimits = .default) throws -> ImageInfo {
        let format = try sniffed(data)
        if let declared = ImageHeader.dimensions(data, format: format) {
            // A header declaring no pixels is corrupt, not too large.
            guard declared.width > 0, declared.height > 0 else {
                throw ImageError.undecodable("the header declares \(declared.width)×\(declared.height) pixels")
            }
            guard limits.allows(width: declared.width, height: declared.height) else {
                throw ImageError.tooManyPixels(width: declared.width, height: declared.height)
            }
        }
        let (width, height) = try withWand { wand in
            try read(data, as: format, into: wand, ping: true)
            return size(wand)
        }
        guard width > 0, height > 0 else { throw ImageError.undecodable("no pixels") }
        guard limits.allows(width: width, height: height) else {
            throw ImageError.tooManyPixels(width: width, height: height)
        }
        return ImageInfo(format: format, width: width, height: height)
    }

    /// The sniffed format of non-empty `data`, or the matching error.
    static func sniffed(_ data: Data) throws -> ImageFormat {
        guard !data.isEmpty else { throw ImageError.empty }
        guard let format = ImageFormat.sniff(data) else { throw ImageError.unsupportedFormat }
        return format
    }

    /// The EXIF orientation ImageMagick reports for `data` (1 = top-left, 0 = undefined).
    static func orientation(of data: Data) throws -> Int {
        let format = try sniffed(data)
        return try withWand { wand in
            try read(data, as: format, into: wand, ping: false)
            return Int(MagickGetImageOrientation(wand).rawValue)
        }
    }

    /// Names of the metadata profiles (exif, icc, xmp...) embedded in `data`.
    static func profileNames(of data: Data) throws -> [String] {
        let format = try sniffed(data)
        return try withWand { wand in
            try read(data, as: format, into: wand, ping: false)
            var count = 0
            guard let list = MagickGetImageProfiles(wand, "*", &count) else { return [] }
            defer { _ = MagickRelinquishMemory(list) }
            return (0..<count).compactMap { index in
                list[index].map { name in
                    defer { _ = MagickRelinquishMemory(name) }
                    return String(cString: name)
                }
            }
        }
    }

    /// Whether `data` decodes when forced through `format`'s coder (tests only).
    static func decodes(_ data: Data, as format: ImageFormat) -> Bool {
        (try? withWand { wand in try read(data, as: format, into: wand, ping: false) }) != nil
    }

    /// Number of frames ImageMagick finds when reading every frame (tests only).
    static func frameCount(of data: Data) throws -> Int {
        let format = try sniffed(data)
        return try withWand { wand in
            try check(MagickSetFormat(wand, format.magickName), wand, "set format")
            let ok = data.withUnsafeBytes { MagickReadImageBlob(wand, $0.baseAddress, $0.count) }
            try check(ok, wand, "read")
            return Int(MagickGetNumberImages(wand))
        }
    }
}
