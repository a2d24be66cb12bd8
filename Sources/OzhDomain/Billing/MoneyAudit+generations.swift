import Foundation
import OzhMongo

extension MoneyAudit {
    /// The generation checks of one user, over its ledger entries and recent `ops` together
    /// (an operation whose ledger entry is missing is `ledger_missing`, not also unsettled):
    ///
    /// - `double_settlement`: both `generation_success:<job>` and `generation_refund:<job>`;
    /// - `settlement_without_charge`: a success or refund without `generation_charge:<job>`;
    /// - `charge_unsettled`: a charge with neither, its job not in `active_generations`, and
    ///   its `generations` record not `succeeded` (a success from before successes were
    ///   recorded has no entry: the record is its settlement);
    /// - `active_of_finished_job`: an `active_generations` entry already settled, or whose
    ///   record is succeeded or failed; `active_without_charge`: one never charged.
    func generationProblems(_ account: AuditedAccount) -> [AuditProblem] {
        let jobs = GenerationOperations(account.operations.values)
        let chat = account.chatID
        var problems: [AuditProblem] = []
        for job in Set(jobs.successes.keys).intersection(jobs.refunds.keys).sorted() {
            problems.append(
                AuditProblem(
                    .doubleSettlement, chatID: chat, jobID: job,
                    detail: "both generation_success and generation_refund were applied"))
        }
        for (job, id) in jobs.successes.merging(jobs.refunds, uniquingKeysWith: min).sorted(by: { $0.key < $1.key })
        where !jobs.charged.contains(job) {
            problems.append(
                AuditProblem(
                    .settlementWithoutCharge, chatID: chat, jobID: job, operationID: id,
                    detail: "settled, but generation_charge:\(job) was never applied"))
        }
        let active = Set(account.active)
        for job in jobs.charged.sorted() where !jobs.isSettled(job) && !active.contains(job) {
            let status = account.jobStatus[job]
            guard status != "succeeded" else { continue }
            problems.append(
                AuditProblem(
                    .chargeUnsettled, chatID: chat, jobID: job, operationID: "generation_charge:\(job)",
                    detail: "no success or refund and not in active_generations; generations record: \(status.map { "status \($0)" } ?? "missing")"))
        }
        var seen = Set<String>()
        for job in account.active where seen.insert(job).inserted {
            if let settlement = jobs.successes[job] ?? jobs.refunds[job] {
                problems.append(
                    AuditProblem(
                        .activeOfFinishedJob, chatID: chat, jobID: job, operationID: settlement,
                        detail: "still in active_generations after \(settlement)"))
            } else if let status = account.jobStatus[job], status == "succeeded" || status == "failed" {
                problems.append(
                    AuditProblem(
                        .activeOfFinishedJob, chatID: chat, jobID: job,
                        detail: "still in active_generations, its generations record is \(status)"))
            }
            if !jobs.charged.contains(job) {
                problems.append(
                    AuditProblem(
                        .activeWithoutCharge, chatID: chat, jobID: job,
                        detail: "in active_generations, but generation_charge:\(job) was never applied"))
            }
        }
        return problems
    }

    /// The jobs of `account` whose `generations` status a check needs: active ones, charged
    /// ones without a settlement, and unrecorded zero-delta successes (the legacy rule).
    static func jobsNeedingStatus(_ account: AuditedAccount) -> [String] {
        let jobs = GenerationOperations(account.operations.values)
        var needed = Set(account.active)
        needed.formUnion(jobs.charged.filter { !jobs.isSettled($0) })
        needed.formUnion(account.unrecorded.filter { $0.kind == "generation_success" && $0.delta == 0 }.map(\.subject))
        return needed.sorted()
    }

    /// job id → `generations.status` of those of `jobs` that have a record, `lookupBatch` ids a query.
    func jobStatuses(_ jobs: [String]) async throws(AuditError) -> [String: String] {
        var statuses: [String: String] = [:]
        for batch in batches(Array(Set(jobs)).sorted()) {
            let ids = BSON.array(batch.map(BSON.string))
            let records = try await read { try await generations.find(["_id": ["$in": ids]], projection: ["_id": 1, "status": 1]) }
            for record in records {
                if let id = record["_id"]?.stringValue { statuses[id] = record["status"]?.stringValue ?? "unknown" }
            }
        }
        return statuses
    }
}
