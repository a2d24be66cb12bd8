import Foundation

/// Hand-made inputs for the image tests.
enum ImageFixtures {
    /// CRC-32 (IEEE) as PNG chunks use it.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    static func chunk(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + payload
        return bigEndian(UInt32(payload.count)) + body + bigEndian(crc32(body))
    }

    /// A ~70-byte PNG whose IHDR claims `width`×`height` RGB pixels.
    static func pngBomb(width: UInt32 = 30_000, height: UInt32 = 30_000) -> Data {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let ihdr = bigEndian(width) + bigEndian(height) + [8, 2, 0, 0, 0]
        // zlib stream of a few zero bytes (stored block) — far too little for the claim.
        let idat: [UInt8] = [0x78, 0x01, 0x01, 0x04, 0x00, 0xFB, 0xFF, 0, 0, 0, 0, 0x00, 0x04, 0x00, 0x01]
        return Data(signature + chunk("IHDR", ihdr) + chunk("IDAT", idat) + chunk("IEND", []))
    }

    /// A plain RGB PNG written by hand (IHDR, the given extra chunks, one IDAT of stored,
    /// uncompressed deflate blocks, IEND): decodable, and unlike anything ImageMagick would
    /// write for the same pixels. `rows` drops the last pixel rows from the data (a short
    /// image); `adlerOffset` spoils the zlib checksum (the chunk CRCs stay right);
    /// `depth` and `interlace` only change what IHDR declares.
    static func plainPNG(
        width: Int = 40, height: Int = 30, extra: [(String, [UInt8])] = [], rows: Int? = nil,
        adlerOffset: UInt32 = 0, depth: UInt8 = 8, interlace: UInt8 = 0
    ) -> Data {
        var raw: [UInt8] = []
        for y in 0..<(rows ?? height) {
            raw.append(0) // filter: none
            for x in 0..<width { raw += [UInt8(x * 255 / max(1, width - 1)), UInt8(y * 255 / max(1, height - 1)), 0x80] }
        }
        var zlib: [UInt8] = [0x78, 0x01]
        var rest = raw[...]
        repeat {
            let block = rest.prefix(65_535)
            rest = rest.dropFirst(block.count)
            let length = UInt16(block.count)
            zlib += [rest.isEmpty ? 1 : 0, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            zlib += block
        } while !rest.isEmpty
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in raw { a = (a + UInt32(byte)) % 65_521; b = (b + a) % 65_521 }
        zlib += bigEndian((b << 16 | a) &+ adlerOffset)
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let ihdr = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [depth, 2, 0, 0, interlace]
        var png = signature + chunk("IHDR", ihdr)
        for (type, payload) in extra { png += chunk(type, payload) }
        return Data(png + chunk("IDAT", zlib) + chunk("IEND", []))
    }

    static let svg = Data(
        """
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">\
        <image href="file:///etc/passwd" width="10" height="10"/></svg>
        """.utf8)
    static let mvg = Data("push graphic-context\nviewbox 0 0 10 10\nimage over 0,0 0,0 'file:///etc/passwd'\npop graphic-context\n".utf8)
    static let pdf = Data("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".utf8)
    static let text = Data("hello".utf8)

    /// Peak resident set size of this process, in MiB (Linux).
    static func peakRSSMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return -1 }
        let kb = Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
        return kb / 1024
    }
}
