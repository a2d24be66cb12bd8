import Foundation

@testable import OzhDomain

/// The fault suite's checks over its ``FaultEvidence``: each check adds a row to the summary
/// table and, when it fails, a problem naming what is wrong.
struct FaultVerdict: Sendable {
    struct Row: Sendable {
        var label: String
        var value: String
        var detail: String
        var ok: Bool?
    }

    private(set) var injected: [Row] = []
    private(set) var checked: [Row] = []
    private(set) var problems: [String] = []

    private mutating func check(_ label: String, _ value: String, _ detail: String = "", _ ok: Bool, problem: @autoclosure () -> String) {
        checked.append(Row(label: label, value: value, detail: detail, ok: ok))
        if !ok { problems.append("\(label): \(problem())") }
    }

    /// Adds `ozh-admin audit`'s verdict (read from MongoDB alone) to the checks.
    mutating func checkAudit(status: Int32, output: String) {
        let summary = output.split(separator: "\n").last.map(String.init) ?? ""
        check("ozh-admin audit", status == 0 ? "0 problems" : "exit \(status)", summary, status == 0, problem: output)
    }

    private mutating func note(_ label: String, _ value: String, _ detail: String = "") {
        checked.append(Row(label: label, value: value, detail: detail, ok: nil))
    }

    init(plan: FaultPlan, load: FaultLoad, record: FaultRecord, evidence: FaultEvidence, unsettled: [String]) {
        recordInjections(plan, record, evidence)
        checkJobs(plan, load, evidence, unsettled)
        checkLedger(plan, load, evidence)
        checkPayments(plan, load, evidence)
        checkGemini(plan, evidence)
        check(
            "unexpected API answers", "\(record.anomalies.count)", "", record.anomalies.isEmpty,
            problem: record.anomalies.prefix(10).joined(separator: "; "))
    }

    // MARK: Injected

    private mutating func recordInjections(_ plan: FaultPlan, _ record: FaultRecord, _ evidence: FaultEvidence) {
        let events = record.events
        for kind in [FaultWorkers.Kind.generation, .payment] {
            let times = events.filter { $0.what == "SIGKILL \(kind.rawValue)" }.map { String(format: "%.1f", $0.at) }
            injected.append(
                Row(
                    label: "SIGKILL \(kind.rawValue)", value: "\(record.kills[kind.rawValue] ?? 0)",
                    detail: "at " + times.joined(separator: " ") + " s", ok: nil))
        }
        for (label, name, downtime) in [
            ("Redis SIGKILL + restart (AOF always)", "SIGKILL Redis", record.redisDowntime),
            ("SecantusDB SIGTERM + restart (on disk)", "SIGTERM SecantusDB", record.mongoDowntime),
        ] {
            let at = events.first { $0.what == name }?.at ?? 0
            injected.append(
                Row(
                    label: label, value: "\(downtime.count)",
                    detail: String(format: "at %.1f s, unreachable %.1f s", at, downtime.first ?? 0), ok: nil))
        }
        let projects = evidence.gemini["projects"] as? [String: [String: Any]] ?? [:]
        let calls = projects.values.map { $0["calls"] as? Int ?? 0 }.reduce(0, +)
        let errors = projects.values.map { $0["errors"] as? Int ?? 0 }.reduce(0, +)
        let blocked = projects.values.map { $0["blocked"] as? Int ?? 0 }.reduce(0, +)
        injected.append(
            Row(
                label: "Gemini 503 answers", value: "\(errors)",
                detail: String(
                    format: "of %d calls (%.1f%%; planned %.0f%%)", calls,
                    calls == 0 ? 0 : 100 * Double(errors) / Double(calls), plan.errorRate * 100), ok: nil))
        injected.append(Row(label: "Gemini safety blocks", value: "\(blocked)", detail: "jobs fail for good, refunded", ok: nil))
        let delivered = evidence.webhooks.filter { $0["status"] as? Int == 200 }
        let seconds = delivered.filter { $0["copy"] as? Int == 2 }.count
        let retries = evidence.webhooks.filter { $0["status"] as? Int != 200 }.count
        injected.append(
            Row(
                label: "webhooks delivered a second time", value: "\(seconds)",
                detail: "\(delivered.count) deliveries, \(retries) refused and redelivered", ok: nil))
        let retried = record.retriedAnswers.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }
        injected.append(
            Row(
                label: "bot requests retried (same key)", value: "\(record.retriedAnswers.values.reduce(0, +))",
                detail: retried.joined(separator: ", "), ok: nil))
        let kills = record.kills.values.reduce(0, +)
        check(
            "faults injected as planned", "\(kills) kills", "",
            kills >= 10 && record.kills.count == 2
                && record.redisDowntime.count == 1 && record.mongoDowntime.count == 1 && errors > 0 && seconds > 0,
            problem:
                "kills \(record.kills), Redis restarts \(record.redisDowntime.count), SecantusDB restarts \(record.mongoDowntime.count), 503s \(errors), second deliveries \(seconds)"
        )
    }

    // MARK: Jobs

    private mutating func checkJobs(_ plan: FaultPlan, _ load: FaultLoad, _ evidence: FaultEvidence, _ unsettled: [String]) {
        let jobs = load.jobs
        let entries = Set(evidence.ledger.map(\.id))
        var succeeded = 0, refunded = 0
        var bad: [String] = []
        for job in jobs {
            let state = evidence.jobs[job.id]
            let charged = entries.contains("generation_charge:\(job.id)")
            let refund = entries.contains("generation_refund:\(job.id)")
            if !evidence.generationRecords.contains(job.id) { bad.append("\(job.id): no generations record") }
            switch state?.status {
            case "succeeded" where charged && !refund:
                succeeded += 1
                if state?.mainImages != plan.mainImages { bad.append("\(job.id): \(state?.mainImages ?? 0) main images") }
            case "failed" where charged && refund:
                refunded += 1
            default:
                bad.append("\(job.id): \(state?.status ?? "unknown"), charged \(charged), refunded \(refund)")
            }
        }
        note("generation jobs accepted (POST /generate)", "\(jobs.count)", "of \(plan.users * plan.jobsPerUser) submitted")
        note("  succeeded, charged once, not refunded", "\(succeeded)")
        let codes = Dictionary(grouping: jobs.compactMap { evidence.jobs[$0.id]?.errorCode }, by: { $0 }).mapValues(\.count)
        note(
            "  failed, refunded exactly once", "\(refunded)",
            codes.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }
                .joined(separator: ", "))
        check(
            "  lost, stuck or wrongly settled", "\(bad.count)", unsettled.first ?? "", bad.isEmpty && unsettled.isEmpty,
            problem: (unsettled + bad).prefix(10).joined(separator: "; "))
        let distinct = Set(jobs.map(\.id)).count
        check(
            "every submitted job was accepted, each its own", "\(distinct)", "",
            distinct == jobs.count
                && jobs.count == plan.users * plan.jobsPerUser,
            problem: "\(jobs.count) of \(plan.users * plan.jobsPerUser) got a job id, \(distinct) distinct")
    }

    // MARK: Ledger

    private mutating func checkLedger(_ plan: FaultPlan, _ load: FaultLoad, _ evidence: FaultEvidence) {
        let byUser = Dictionary(grouping: evidence.ledger, by: \.chatID)
        let succeededBy = Dictionary(grouping: load.jobs.filter { evidence.jobs[$0.id]?.status == "succeeded" }, by: \.chatID)
        let jobsBy = Dictionary(grouping: load.jobs, by: \.chatID)
        let paidBy = Dictionary(grouping: load.payments.filter(\.paid), by: \.chatID)
        var sums = 0, expected = 0, chains = 0
        var bad: [String] = []
        for chat in load.chats {
            guard let user = evidence.users[chat] else { bad.append("user \(chat) is missing"); continue }
            let entries = (byUser[chat] ?? []).sorted { $0.seq < $1.seq }
            let sum = entries.map(\.delta).reduce(0, +)
            if sum == user.ozhivashki { sums += 1 } else { bad.append("user \(chat): ledger sums to \(sum), balance \(user.ozhivashki)") }
            var running: Int64 = 0
            var chained = Set(entries.map(\.seq)).count == entries.count
            for entry in entries {
                running += entry.delta
                if entry.balanceAfter != running { chained = false }
            }
            if chained { chains += 1 } else { bad.append("user \(chat): balance_after does not follow the entries in seq order") }
            // Every entry must be one the scenario explains, with the right amount.
            let jobs = Set((jobsBy[chat] ?? []).map(\.id))
            let failed = Set(jobs.filter { evidence.jobs[$0]?.status == "failed" })
            let paid = Dictionary(uniqueKeysWithValues: (paidBy[chat] ?? []).map { ($0.paymentID, Int64(10 * $0.quantity)) })
            let referred = Set(load.chats.filter { load.referrer(of: $0) == chat }.map(String.init))
            for entry in entries
            where !Self.explains(
                entry, chat: chat, grant: plan.initialGrant, jobs: jobs, failed: failed,
                paid: paid, referred: referred)
            {
                bad.append("user \(chat): unexplained ledger entry \(entry.id) (\(entry.delta))")
            }
            let successes = Int64(succeededBy[chat]?.count ?? 0)
            let bonuses = Int64(load.chats.filter { load.referrer(of: $0) == chat && (succeededBy[$0]?.isEmpty == false) }.count)
            let want = 1 + plan.initialGrant - successes + paid.values.reduce(0, +) + bonuses
            if user.ozhivashki == want && user.generationCount == successes && (user.activeGenerations ?? []).isEmpty {
                expected += 1
            } else {
                bad.append(
                    "user \(chat): balance \(user.ozhivashki) (expected \(want)), generation_count \(user.generationCount) "
                        + "(expected \(successes)), active \(user.activeGenerations ?? [])")
            }
        }
        let count = load.chats.count
        check("users whose ledger sums to the balance", "\(sums)/\(count)", "", sums == count, problem: bad.prefix(10).joined(separator: "; "))
        check("users whose balance_after chain holds", "\(chains)/\(count)", "", chains == count, problem: bad.prefix(10).joined(separator: "; "))
        check(
            "users with the expected balance and counts", "\(expected)/\(count)",
            "1 + \(plan.initialGrant) − successes + packs + referrals", expected == count && bad.isEmpty,
            problem: bad.prefix(10).joined(separator: "; "))
    }

    /// Whether `entry` is one of the operations the scenario performed, with its amount.
    private static func explains(
        _ entry: LedgerEntry, chat: Int64, grant: Int64, jobs: Set<String>, failed: Set<String>,
        paid: [String: Int64], referred: Set<String>
    ) -> Bool {
        let parts = entry.id.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return false }
        switch (parts[0], entry.delta) {
        case ("signup", 1): return parts[1] == String(chat)
        case ("fault_grant", grant): return parts[1] == String(chat)
        case ("generation_charge", -1): return jobs.contains(parts[1])
        case ("generation_refund", 1): return failed.contains(parts[1])
        case ("generation_success", 0): return jobs.contains(parts[1]) && !failed.contains(parts[1])
        case ("purchase", let delta): return paid[parts[1]] == delta
        case ("referral_bonus", 1): return referred.contains(parts[1])
        default: return false
        }
    }

    // MARK: Payments

    private mutating func checkPayments(_ plan: FaultPlan, _ load: FaultLoad, _ evidence: FaultEvidence) {
        let purchases = Dictionary(grouping: evidence.ledger.filter { $0.reason == "purchase" }, by: { $0.ref ?? "" })
        var creditedOnce = 0, neverCredited = 0
        var bad: [String] = []
        for payment in load.payments {
            let credits = purchases[payment.paymentID] ?? []
            let record = evidence.paymentRecords[payment.paymentID]
            if payment.paid {
                if credits.count == 1, credits[0].delta == Int64(10 * payment.quantity), credits[0].chatID == payment.chatID,
                    record?["status"]?.stringValue == "succeeded", record?["credited"]?.boolValue == true
                {
                    creditedOnce += 1
                } else {
                    bad.append(
                        "paid \(payment.paymentID): \(credits.count) credits \(credits.map(\.delta)), status \(record?["status"]?.stringValue ?? "missing")"
                    )
                }
            } else if credits.isEmpty, record?["status"]?.stringValue == "canceled" {
                neverCredited += 1
            } else {
                bad.append("canceled \(payment.paymentID): \(credits.count) credits, status \(record?["status"]?.stringValue ?? "missing")")
            }
        }
        let paid = load.payments.filter(\.paid).count
        note("payments created and decided by the payer", "\(load.payments.count)", "of \(plan.payments) planned")
        check(
            "  paid ones credited exactly once", "\(creditedOnce)/\(paid)", "", creditedOnce == paid && bad.isEmpty,
            problem: bad.prefix(10).joined(separator: "; "))
        check(
            "  canceled ones never credited", "\(neverCredited)/\(load.payments.count - paid)", "",
            neverCredited == load.payments.count - paid, problem: bad.prefix(10).joined(separator: "; "))
        check(
            "every planned payment was made", "\(load.payments.count)", "", load.payments.count == plan.payments,
            problem: "only \(load.payments.count) of \(plan.payments)")
        let created = evidence.yookassa["payments_created"] as? Int ?? -1
        let perKey = (evidence.yookassa["by_idempotence_key"] as? [String: Int] ?? [:]).values.max() ?? 0
        check(
            "YooKassa payments per create_payment job", "\(perKey)", "\(created) created for \(plan.payments) requests",
            created == plan.payments && perKey == 1, problem: "\(created) payments created, up to \(perKey) per Idempotence-Key")
        // Each decision is notified twice; both copies must get through (a refused one is redelivered).
        let copies = Dictionary(
            grouping: evidence.webhooks.filter { $0["status"] as? Int == 200 },
            by: { "\($0["payment_id"] as? String ?? "")" }
        ).mapValues(\.count)
        let twice = load.payments.filter { copies[$0.paymentID] == 2 }.count
        check(
            "decisions whose webhook arrived twice", "\(twice)/\(load.payments.count)", "", twice == load.payments.count,
            problem: load.payments.filter { copies[$0.paymentID] != 2 }.map { "\($0.paymentID): \(copies[$0.paymentID] ?? 0)" }
                .joined(separator: ", "))
    }

    // MARK: Gemini

    private mutating func checkGemini(_ plan: FaultPlan, _ evidence: FaultEvidence) {
        let projects = evidence.gemini["projects"] as? [String: [String: Any]] ?? [:]
        var saturated = false
        for name in plan.projects {
            let stats = projects[name] ?? [:]
            let maxAttempts = stats["max_attempts_in_any_window"] as? Int ?? -1
            let maxCalls = stats["max_calls_in_any_window"] as? Int ?? -1
            let today = stats["calls_today"] as? Int ?? -1
            let limited = stats["rate_limited"] as? Int ?? -1
            saturated = saturated || maxCalls == plan.rpm
            check(
                "Gemini project \(name) within its limits",
                "\(maxAttempts)/\(plan.rpm)", "max calls in any \(plan.windowMS) ms window; \(today)/\(plan.rpd) today; \(limited)× 429",
                maxAttempts >= 0 && maxAttempts <= plan.rpm && today <= plan.rpd && limited == 0,
                problem: "\(stats)")
        }
        check(
            "the quota limiter was the bottleneck", saturated ? "yes" : "no", "some window held the full \(plan.rpm) calls",
            saturated, problem: "no project ever reached \(plan.rpm) calls in a window: the limiter was not exercised")
        let unknown = evidence.gemini["unauthenticated_calls"] as? Int ?? -1
        check("Gemini calls without a valid key", "\(unknown)", "", unknown == 0, problem: "\(unknown)")
    }

    // MARK: Summary

    /// The summary table.
    func table(plan: FaultPlan, loadSeconds: Double, totalSeconds: Double) -> String {
        let width = (injected + checked).map(\.label.count).max() ?? 40
        func line(_ row: Row) -> String {
            let mark = row.ok.map { $0 ? "ok  " : "FAIL" } ?? "    "
            let value = String(repeating: " ", count: max(0, 9 - row.value.count)) + row.value
            return "  \(mark) \(row.label.padding(toLength: width, withPad: " ", startingAt: 0)) \(value)  \(row.detail)"
        }
        var lines = [String(format: "Fault suite — seed %llu (OZH_FAULT_SEED), load %.0f s, whole test %.0f s", plan.seed, loadSeconds, totalSeconds)]
        lines.append("INJECTED")
        lines += injected.map(line)
        lines.append("CHECKED")
        lines += checked.map(line)
        lines.append(problems.isEmpty ? "all checks passed" : "\(problems.count) checks FAILED")
        return lines.joined(separator: "\n")
    }
}
