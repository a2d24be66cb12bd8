import OzhRedis

extension QuotaLimiter {
    /// The limiter's state as a ``QuotaForecast``, read (never changed) in one script: per
    /// project the grant times in the window, today's count, the cool-down and whether any key
    /// is enabled. O(projects × rpm); the gateway reads it at most once a second.
    public func forecast() async throws(QuotaError) -> QuotaForecast {
        let reply = try await run(QuotaScripts.forecast, scriptArguments(cost: 1, images: 0, token: "forecast", dryRun: true))
        guard let rows = reply.array?.map({ $0.array?.compactMap(\.string) ?? [] }), let head = rows.first, head.count == 2,
            let now = Int64(head[0]), let reset = Int64(head[1])
        else {
            throw .unexpectedReply("forecast returned \(reply)")
        }
        let projects = try rows.dropFirst().map { (row: [String]) throws(QuotaError) -> QuotaForecast.Project in
            guard row.count >= 4, let today = Int(row[2]), let cool = Int64(row[3]) else {
                throw .unexpectedReply("forecast row \(row.first ?? "")")
            }
            return QuotaForecast.Project(
                name: row[0], usable: row[1] == "1", windowGrants: row.dropFirst(4).compactMap { Int64($0) },
                usedToday: today, coolingUntil: cool > now ? cool : nil)
        }
        return QuotaForecast(
            now: now, perWindow: min(limits.rpm, limits.ipm ?? limits.rpm), perDay: limits.rpd,
            window: limits.effectiveWindow.wholeMilliseconds, dayResetsAt: reset,
            dayLength: limits.dayLength?.wholeMilliseconds ?? 86_400_000, projects: projects)
    }
}

extension QuotaScripts {
    /// `Lua/quota.forecast.lua` (its header: what it takes and answers).
    static let forecast = script("forecast", LuaSource.text(PackageResources.quota_forecast_lua))
}
