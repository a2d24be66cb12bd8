import Foundation

/// An IPv4 or IPv6 address or CIDR range, for the webhook's sender check.
public struct IPRange: Sendable, Equatable {
    let bytes: [UInt8]
    let prefix: Int

    /// Parses `77.75.156.11`, `185.71.76.0/27` or `2a02:5180::/32`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let address = parts.first, let bytes = IPRange.parse(String(address)) else { return nil }
        let maxPrefix = bytes.count * 8
        let prefix = parts.count == 2 ? Int(parts[1]) : maxPrefix
        guard let prefix, (0...maxPrefix).contains(prefix) else { return nil }
        self.bytes = bytes
        self.prefix = prefix
    }

    /// True when `address` (text) is inside this range.
    public func contains(_ address: String) -> Bool {
        guard let other = IPRange.parse(address), other.count == bytes.count else { return false }
        var bits = prefix
        for index in 0..<bytes.count where bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if bytes[index] & mask != other[index] & mask { return false }
            bits -= 8
        }
        return true
    }

    static func parse(_ text: String) -> [UInt8]? {
        var text = text
        if text.hasPrefix("::ffff:"), text.contains(".") { text = String(text.dropFirst(7)) }
        if text.contains(":") {
            var address = in6_addr()
            guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
            return withUnsafeBytes(of: &address) { Array($0) }
        }
        var address = in_addr()
        guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }
}

/// Published sender ranges.
public enum IPRanges {
    /// YooKassa's webhook senders.
    public static let yookassa = [
        "185.71.76.0/27", "185.71.77.0/27", "77.75.153.0/25", "77.75.156.11", "77.75.156.35", "77.75.154.128/25", "2a02:5180::/32",
    ]
}
