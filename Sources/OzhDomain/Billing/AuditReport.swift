import OzhSupport

/// What one run of ``MoneyAudit`` found: every problem counted by code, the first ones listed.
public struct AuditReport: Sendable {
    /// How many problems of each code were found (codes with none are absent).
    public private(set) var counts: [AuditProblem.Code: Int] = [:]
    /// The problems found, in the order they were found, at most ``listLimit`` of them.
    public private(set) var problems: [AuditProblem] = []
    /// How many problems ``problems`` keeps; the rest are only counted.
    public let listLimit: Int
    /// Users read.
    public internal(set) var users = 0
    /// Ledger entries read.
    public internal(set) var ledgerEntries = 0
    /// Payments read.
    public internal(set) var payments = 0
    /// Payments YooKassa did not know (`unknown_at_provider`): no longer re-read, so an operator
    /// looks at them; not a money problem (nothing was credited), so not counted in ``total``.
    public internal(set) var unknownAtProvider: [String] = []

    /// An empty report keeping at most `listLimit` problems.
    public init(listLimit: Int) {
        self.listLimit = max(0, listLimit)
    }

    /// Every problem found.
    public var total: Int { counts.values.reduce(0, +) }

    /// Problems found beyond ``listLimit``.
    public var unlisted: Int { total - problems.count }

    /// Counts `problem` and lists it while there is room.
    mutating func add(_ problem: AuditProblem) {
        counts[problem.code, default: 0] += 1
        if problems.count < listLimit { problems.append(problem) }
    }

    /// `3 problems (ledger_missing 1, charge_unsettled 2); read 10 users, 40 ledger entries, 2 payments`.
    public var summary: String {
        let byCode = counts.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        let found = total == 1 ? "1 problem" : "\(total) problems"
        let unknown = unknownAtProvider.isEmpty ? "" : "; \(unknownAtProvider.count) payments unknown at the provider"
        return "\(found)\(byCode.isEmpty ? "" : " (\(byCode))"); read \(users) users, \(ledgerEntries) ledger entries, \(payments) payments"
            + unknown
    }

    /// The report as JSON: `total`, `counts` (every code, 0 included), `problems`, `unlisted`, `read`.
    public var json: JSONValue {
        .object([
            ("total", .int(Int64(total))),
            ("counts", .object(AuditProblem.Code.allCases.map { ($0.rawValue, .int(Int64(counts[$0] ?? 0))) })),
            ("problems", .array(problems.map(\.json))),
            ("unknown_at_provider", .array(unknownAtProvider.map(JSONValue.string))),
            ("unlisted", .int(Int64(unlisted))),
            (
                "read",
                .object([
                    ("users", .int(Int64(users))), ("ledger_entries", .int(Int64(ledgerEntries))),
                    ("payments", .int(Int64(payments))),
                ])
            ),
        ])
    }
}
