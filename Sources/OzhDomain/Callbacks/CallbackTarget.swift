import Foundation
import NIOPosix
import OzhQueue

/// A callback URL whose host was resolved and found reachable: the address a delivery is
/// pinned to (curl `CURLOPT_RESOLVE`), so a DNS answer that changes between the check and the
/// connection (rebinding) cannot send it elsewhere.
public struct CallbackTarget: Sendable, Equatable {
    /// The URL.
    public let url: CallbackURL
    /// The numeric address connected to.
    public let address: String

    /// The `CURLOPT_RESOLVE` entry pinning the URL's host and port to ``address``; nil for an
    /// IPv6 literal host (nothing to resolve, and `host:port:` cannot spell it).
    public var resolveEntry: String? {
        guard !url.host.contains(":") else { return nil }
        return "\(url.host):\(url.port):\(address.contains(":") ? "[\(address)]" : address)"
    }

    /// Resolves `url`'s host (getaddrinfo, on a thread of its own: it blocks) and picks its first
    /// address. Unless the host is in `allowedHosts`, every address it resolves to must be public
    /// (``PublicAddress``): one private answer among public ones is refused too.
    public static func resolve(_ url: CallbackURL, allowedHosts: Set<String>) async throws(CallbackURLError) -> CallbackTarget {
        let host = url.host
        let addresses: [String]
        do {
            addresses = try await resolver.runIfActive { Self.addresses(of: host) }
        } catch {
            throw .unresolvable(host: host)
        }
        guard let first = addresses.first else { throw .unresolvable(host: host) }
        if !allowedHosts.contains(host), let bad = addresses.first(where: { !PublicAddress.isPublic($0) }) {
            throw .notPublic(host: host, address: bad)
        }
        return CallbackTarget(url: url, address: first)
    }

    /// ``CallbackURL/init(_:)`` then ``resolve(_:allowedHosts:)``.
    public static func resolve(_ text: String, allowedHosts: Set<String>) async throws(CallbackURLError) -> CallbackTarget {
        let url = try CallbackURL(text)
        return try await resolve(url, allowedHosts: allowedHosts)
    }

    /// getaddrinfo's numeric answers for `host` (blocking); empty when it does not resolve.
    static func addresses(of host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0 else { return [] }
        defer { freeaddrinfo(list) }
        var found: [String] = []
        var node = list
        while let entry = node?.pointee {
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            if let socket = entry.ai_addr {
                if entry.ai_family == AF_INET {
                    socket.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        var address = pointer.pointee.sin_addr
                        _ = inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
                    }
                } else if entry.ai_family == AF_INET6 {
                    socket.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        var address = pointer.pointee.sin6_addr
                        _ = inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
                    }
                }
            }
            let address = String(cString: text)
            if !address.isEmpty, !found.contains(address) { found.append(address) }
            node = entry.ai_next
        }
        return found
    }

    /// getaddrinfo blocks (up to the resolver's timeouts): it runs here, never on the cooperative pool.
    private static let resolver: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()
}
