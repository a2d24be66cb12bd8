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
        bytes.withUnsafeBytes { raw -> (width: Int, height: Int)? in
            let b = raw.bindMemory(to: UInt8.self)
            let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            guard b.count >= 8 + 25 + 12, b.prefix(8).elementsEqual(signature) else { return nil }
            var offset = 8
            var header: (width: Int, height: Int)?
            var sawData = false
            while offset + 12 <= b.count {
                let length = be32(b, offset)
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
                    header = (be32(b, payload), be32(b, payload + 4))
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

    private static func be32(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
    }
}
