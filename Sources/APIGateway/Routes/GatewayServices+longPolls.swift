import Hummingbird
import Shared

extension GatewayServices {
    /// ``waitForSnapshot(_:upTo:)`` within the long-poll caps (``LongPollLimiter``): over them
    /// the current status at once, as without `wait`.
    func waitForSnapshot(_ id: String, upTo wait: Duration?, client: String?) async throws -> JobSnapshot {
        guard let wait else { return try await waitForSnapshot(id, upTo: nil) }
        guard longPolls.admit(client) else {
            EdgeMetrics.refused(.longPoll)
            return try await waitForSnapshot(id, upTo: nil)
        }
        defer { longPolls.release(client) }
        return try await waitForSnapshot(id, upTo: wait)
    }

    /// ``waitForJob(_:upTo:)`` within the long-poll caps.
    func waitForJob(_ id: String, upTo wait: Duration?, client: String?) async throws -> Job {
        try await waitForSnapshot(id, upTo: wait, client: client).job
    }

    /// The client's address: the peer's, or the last untrusted hop of `X-Forwarded-For` when
    /// the peer is one of `TRUSTED_PROXIES` (the proxy in front). Nil when unknown.
    func clientAddress(_ request: Request, _ context: GatewayContext) -> String? {
        guard let peer = context.remoteAddress?.ipAddress else { return nil }
        guard trustedProxies.contains(where: { $0.contains(peer) }),
              let forwarded = request.headers[.init("X-Forwarded-For")!] else { return peer }
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return hops.reversed().first { hop in !trustedProxies.contains { $0.contains(hop) } } ?? hops.first
    }
}
