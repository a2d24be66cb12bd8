import Foundation

/// Pure-Swift walk over a PNG's chunk layout, without decoding any pixels.
///
/// `MagickImage.normalize` uses it to recognise a PNG that is already in the form it would
/// produce (no metadata, one frame, 8 bits per sample), which it then keeps byte for byte
/// once a full decode has shown the pixels are intact.
enum PNGLayout {
    /// The chunks a plain PNG may hold: the header, a palette and its transparency, the
    /// pixels and the end. Anything else (text, EXIF, ICC, gamma, time, animation...) is
    /// metadata or a frame that normalising strips.
    static let plainChunks: Set<String> = ["IHDR", "PLTE", "tRNS", "IDAT", "IEND"]

    /// The size its `IHDR` declares when `bytes` is a plain PNG: only `plainChunks`, `IHDR`
    /// first and `IEND` last with nothing after it, at least one `IDAT`, 8 bits per sample,
    /// a standard colour type, compression and filter method 0, not interlaced. `nil`
    /// otherwise (including any truncated or malformed layout). Chunk CRCs are left to the
    /// decoder.
    static func plainHeader(_ bytes: Data) -> (width: Int, height: Int)? {
        guard ImageFormat.sniff(bytes) == .png else { return nil }
        return bytes.withUnsafeBytes { raw -> (width: Int, height: Int)? in
            let b = raw.bindMemory(to: UInt8.self)
            guard b.count >= 8 + 25 + 12 else { return nil }
            var offset = 8
            var header: (width: Int, height: Int)?
            var sawData = false
            while offset + 12 <= b.count {
                let length = ImageHeader.be32(b, offset)
                let type = String(decoding: b[(offset + 4)..<(offset + 8)], as: UTF8.self)
                let end = offset + 12 + length
                guard length <= Int(Int32.max), end <= b.count, plainChunks.contains(type) else { return nil }
                let payload = offset + 8
                switch type {
                case "IHDR":
                    guard header == nil, offset == 8, length == 13 else { return nil }
                    let depth = b[payload + 8], colour = b[payload + 9]
                    guard depth == 8, [0, 2, 3, 4, 6].contains(colour),
                        b[payload + 10] == 0, b[payload + 11] == 0, b[payload + 12] == 0
                    else { return nil }
                    header = (ImageHeader.be32(b, payload), ImageHeader.be32(b, payload + 4))
                case "IEND":
                    guard length == 0, end == b.count, sawData else { return nil }
                    return header
                case "IDAT":
                    guard header != nil else { return nil }
                    sawData = true
                default:
                    guard header != nil, !sawData else { return nil }
                }
                offset = end
            }
            return nil
        }
    }
}
