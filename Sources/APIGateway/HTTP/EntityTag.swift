import Foundation
import NIOCore

/// Strong entity tags (`ETag`) and `If-None-Match`.
enum EntityTag {
    /// `"<16 hex digits>"`: FNV-1a (64 bit) of the body. The same bytes give the same tag in
    /// every gateway process, so replicas behind one load balancer agree.
    static func of(_ body: ByteBuffer) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        body.withUnsafeReadableBytes { bytes in
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
        }
        return quoted(hash)
    }

    /// `"<16 hex digits>"` of a 64-bit value.
    static func quoted(_ value: UInt64) -> String {
        let hex = String(value, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }

    /// Whether an `If-None-Match` value names `etag` (weak comparison, as RFC 9110 asks for
    /// `If-None-Match`: `W/"x"` matches `"x"`), or is `*`. Nil (no header) never matches.
    static func matches(_ header: String?, _ etag: String) -> Bool {
        guard let header else { return false }
        let etag = etag.hasPrefix("W/") ? etag.dropFirst(2) : etag[...]
        for part in header.split(separator: ",") {
            var tag = part.trimmingCharacters(in: .whitespaces)[...]
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tag == etag { return true }
        }
        return false
    }
}
