import Foundation

/// One project's usage, for metrics, the admin CLI and the gateway.
public struct ProjectQuotaStatus: Sendable, Equatable {
    /// The project name.
    public let project: String
    /// Labels of its configured keys.
    public let keyLabels: [String]
    /// Labels of those keys that are disabled.
    public let disabledKeyLabels: [String]
    /// Requests in the current sliding window.
    public let callsInWindow: Int
    /// Requests of the current quota day.
    public let callsToday: Int
    /// Images in the current window (0 without an ipm limit).
    public let imagesInWindow: Int
    /// The limits.
    public let rpm: Int
    public let rpd: Int
    /// min(rpm - callsInWindow, rpd - callsToday), never below 0.
    public let headroom: Int
    /// When a cool-down after a 429 ends (this machine's clock), if one is running.
    public let coolingDownUntil: Date?
    /// The cool-down's stored reason (JSON with scope and quota id), if any.
    public let coolDownReason: String?
    /// When the quota day ends (this machine's clock).
    public let dayResetsAt: Date

    /// True when the project could take a request now.
    public var isUsable: Bool { headroom > 0 && coolingDownUntil == nil && disabledKeyLabels.count < keyLabels.count }
}

extension QuotaLimiter {
    /// Usage of every configured project, in configuration order. Reads only.
    public func status() async throws(QuotaError) -> [ProjectQuotaStatus] {
        let reply = try await run(QuotaScripts.status, scriptArguments(cost: 1, images: 0, token: "status", dryRun: true))
        guard let rows = reply.array?.map({ $0.array?.compactMap(\.string) ?? [] }), let head = rows.first, head.count == 3,
            let now = Int64(head[0]), let reset = Int64(head[2])
        else {
            throw .unexpectedReply("status returned \(reply)")
        }
        let local = Date()
        func localDate(_ ms: Int64) -> Date { local.addingTimeInterval(Double(ms - now) / 1000) }
        return try rows.dropFirst().map { (row: [String]) throws(QuotaError) -> ProjectQuotaStatus in
            guard row.count >= 6, let window = Int(row[1]), let images = Int(row[2]), let today = Int(row[3]), let cool = Int64(row[4]) else {
                throw .unexpectedReply("status row \(row.first ?? "")")
            }
            let keys = keyring.keys(of: row[0])
            let enabled = Set(row.dropFirst(6))
            return ProjectQuotaStatus(
                project: row[0], keyLabels: keys.map(\.label), disabledKeyLabels: keys.filter { !enabled.contains($0.id) }.map(\.label),
                callsInWindow: window, callsToday: today, imagesInWindow: images, rpm: limits.rpm, rpd: limits.rpd,
                headroom: max(0, min(limits.rpm - window, limits.rpd - today)),
                coolingDownUntil: cool > 0 ? localDate(cool) : nil, coolDownReason: row[5].isEmpty ? nil : row[5],
                dayResetsAt: localDate(reset))
        }
    }
}
