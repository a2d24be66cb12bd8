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
        return "\(found)\(byCode.isEmpty ? "" : " (\(byCode))"); read \(users) users, \(ledgerEntries) ledger entries, \(payments) payments"
    }

    /// The report as JSON: `total`, `counts` (every code, 0 included), `problems`, `unlisted`, `read`.
    public var json: JSONValue {
        .object([
            ("total", .int(Int64(total))),
            ("counts", .object(AuditProblem.Code.allCases.map { ($0.rawValue, .int(Int64(counts[$0] ?? 0))) })),
            ("problems", .array(problems.map(\.json))),
            ("unlisted", .int(Int64(unlisted))),
            ("read", .object([("users", .int(Int64(users))), ("ledger_entries", .int(Int64(ledgerEntries))),
                              ("payments", .int(Int64(payments)))])),
        ])
    }
}
