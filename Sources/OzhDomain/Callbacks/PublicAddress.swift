/// Which resolved addresses a callback may reach without `CALLBACK_ALLOWED_HOSTS`: public ones.
///
/// Refused: unspecified, loopback, RFC 1918 private, CGNAT (100.64/10), link-local (with the cloud
/// metadata address 169.254.169.254), IETF protocol and documentation ranges, benchmarking,
/// multicast and reserved IPv4; for IPv6 the unspecified and loopback addresses, ULA (fc00::/7,
/// with AWS's metadata fd00:ec2::254), link-local, site-local, multicast, documentation and the
/// NAT64 / 6to4 / Teredo forms that can embed a private IPv4 address. IPv4-mapped IPv6
/// (`::ffff:a.b.c.d`) is judged as its IPv4 address (``IPRange`` parses it so).
public enum PublicAddress {
    static let refused: [IPRange] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
        "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/32", "2001:db8::/32", "2002::/16",
        "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
    ].compactMap(IPRange.init)

    /// True when `address` (numeric text, as `inet_ntop` writes it) is a public unicast address.
    public static func isPublic(_ address: String) -> Bool {
        guard IPRange(address) != nil else { return false }
        return !refused.contains { $0.contains(address) }
    }
}
