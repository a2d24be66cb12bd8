import Foundation

/// Pure-Swift reading of the dimensions an image header declares, without ImageMagick.
///
/// A cheap first line against pixel bombs: ImageMagick's own ping may refuse an
/// oversized header with a generic error (libpng "exceeds user limit"), which would hide
/// that the file is a bomb. `nil` means "not found"; the ping still decides then.
enum ImageHeader {
    /// The (width, height) declared by the header of `bytes` in `format`, if readable.
    static func dimensions(_ bytes: Data, format: ImageFormat) -> (width: Int, height: Int)? {
        let b = [UInt8](bytes.prefix(format == .jpeg ? 256 * 1024 : 64))
        switch format {
        case .png:
            guard b.count >= 24, b[12..<16].elementsEqual("IHDR".utf8) else { return nil }
            return (be32(b, 16), be32(b, 20))
        case .gif:
            guard b.count >= 10 else { return nil }
            return (le16(b, 6), le16(b, 8))
        case .webp:
            return webp(b)
        case .jpeg:
            return jpeg(b)
        }
    }

    private static func webp(_ b: [UInt8]) -> (width: Int, height: Int)? {
        guard b.count >= 30 else { return nil }
        let chunk = String(decoding: b[12..<16], as: UTF8.self)
        switch chunk {
        case "VP8 ":
            return (le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF)
        case "VP8L":
            let bits = UInt32(b[21]) | UInt32(b[22]) << 8 | UInt32(b[23]) << 16 | UInt32(b[24]) << 24
            return (Int(bits & 0x3FFF) + 1, Int((bits >> 14) & 0x3FFF) + 1)
        case "VP8X":
            return (le24(b, 24) + 1, le24(b, 27) + 1)
        default:
            return nil
        }
    }

    /// Walks JPEG markers up to the first SOFn frame header.
    private static func jpeg(_ b: [UInt8]) -> (width: Int, height: Int)? {
        var i = 2
        while i + 3 < b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }
            if marker == 0x01 || (0xD0...0xD9).contains(marker) { i += 2; continue }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            let isFrame = (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
            if isFrame {
                guard i + 9 <= b.count else { return nil }
                return (Int(b[i + 7]) << 8 | Int(b[i + 8]), Int(b[i + 5]) << 8 | Int(b[i + 6]))
            }
            guard length >= 2 else { return nil }
            i += 2 + length
        }
        return nil
    }

    /// The big-endian 32-bit value at `i` (PNG lengths and sizes; also `PNGLayout`'s).
    static func be32<Bytes: RandomAccessCollection<UInt8>>(_ b: Bytes, _ i: Int) -> Int where Bytes.Index == Int {
        Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
    }

    private static func le16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }

    private static func le24(_ b: [UInt8], _ i: Int) -> Int {
        Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16
    }
}
