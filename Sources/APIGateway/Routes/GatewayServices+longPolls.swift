import Hummingbird
import OzhObservability
import OzhQueue

extension GatewayServices {
    /// `body(wait)` within the long-poll caps (``LongPollLimiter``): over them `body(nil)`, the
    /// current state at once, as without `wait`.
    private func withinLongPollCaps<T>(_ wait: Duration?, client: String?, _ body: (Duration?) async throws -> T) async throws -> T {
        guard let wait else { return try await body(nil) }
        guard longPolls.admit(client) else {
            EdgeMetrics.refused(.longPoll)
            return try await body(nil)
        }
        defer { longPolls.release(client) }
        return try await body(wait)
    }

    /// ``waitForAnswer(_:upTo:changedFrom:)`` within the long-poll caps.
    func waitForAnswer(_ id: String, upTo wait: Duration?, changedFrom held: String?, client: String?) async throws -> JobAnswer {
        try await withinLongPollCaps(wait, client: client) { try await waitForAnswer(id, upTo: $0, changedFrom: held) }
    }

    /// ``waitForSnapshot(_:upTo:)`` within the long-poll caps; `waited` is false when the caps
    /// refused the wait (the snapshot is the current one then).
    func waitForSnapshot(_ id: String, upTo wait: Duration?, client: String?) async throws -> (snapshot: JobSnapshot, waited: Bool) {
        try await withinLongPollCaps(wait, client: client) { (try await waitForSnapshot(id, upTo: $0), $0 != nil) }
    }

    /// The client's address: the peer's, or the last untrusted hop of `X-Forwarded-For` when
    /// the peer is one of `TRUSTED_PROXIES` (the proxy in front). Nil when unknown.
    func clientAddress(_ request: Request, _ context: GatewayContext) -> String? {
        guard let peer = context.remoteAddress?.ipAddress else { return nil }
        guard trustedProxies.contains(where: { $0.contains(peer) }),
            let forwarded = request.headers[.init("X-Forwarded-For")!]
        else { return peer }
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return hops.reversed().first { hop in !trustedProxies.contains { $0.contains(hop) } } ?? hops.first
    }
}
