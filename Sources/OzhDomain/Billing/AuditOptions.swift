/// How ``MoneyAudit`` reads: page sizes, grace period, how many problems a report lists.
public struct AuditOptions: Sendable, Equatable {
    /// Users (and payments) read per page; their ledger entries come with them.
    public var pageSize: Int
    /// Job or operation ids asked for in one `$in` query.
    public var lookupBatch: Int
    /// How old an operation (or a payment's last check) must be before a missing ledger entry
    /// or credit is a problem rather than a write in flight.
    public var grace: Duration
    /// Problems a report lists; the rest are only counted.
    public var listLimit: Int

    /// Defaults safe against production: pages of 500, a grace of 10 s, 1000 problems listed.
    public init(pageSize: Int = 500, lookupBatch: Int = 1000, grace: Duration = .seconds(10), listLimit: Int = 1000) {
        self.pageSize = pageSize
        self.lookupBatch = lookupBatch
        self.grace = grace
        self.listLimit = listLimit
    }

    /// ``grace`` in seconds.
    var graceSeconds: Double {
        grace.timeInterval
    }

    /// Refuses sizes the audit cannot page with.
    func validate() throws(AuditError) {
        guard pageSize > 0 else { throw .invalidOptions(reason: "the page size must be positive") }
        guard lookupBatch > 0 else { throw .invalidOptions(reason: "the lookup batch must be positive") }
        guard grace >= .zero else { throw .invalidOptions(reason: "the grace period cannot be negative") }
    }
}
