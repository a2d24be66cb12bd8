import Foundation
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhMongo
@testable import OzhObservability

/// `ozh-admin audit` as a real process over a real MongoDB: a consistent database passes, and
/// each kind of fault written straight into MongoDB is reported with its code and ids.
@Suite("Money audit", .serialized)
struct MoneyAuditTests {
    /// A fault written on top of consistent users 100 and 200.
    enum Fault: String, CaseIterable, CustomTestStringConvertible {
        case balanceOff, negativeBalance, ledgerEntryLost, orphanEntries, chargeNeverSettled, successAndRefund,
            refundWithoutCharge, activeAfterSuccess, activeOfFailedRecord, activeNeverCharged,
            succeededPaymentNotCredited, paymentCreditedTwice, paymentCreditedWrongAmount, canceledPaymentCredited

        var testDescription: String { rawValue }
    }

    /// What the audit must print for a fault: each code with a fragment of its line, and no other code.
    struct Expected {
        var lines: [(code: AuditProblem.Code, ids: String)]
    }

    /// Writes `fault` into `db` (whose users 100 and 200 are consistent).
    func apply(_ fault: Fault, _ db: AuditFixture) async throws -> Expected {
        switch fault {
        case .balanceOff:
            try await db.setUser(100, ["ozhivashki": 8])
            return Expected(lines: [(.ledgerSumMismatch, "chat_id=100: ozhivashki is 8 but")])
        case .negativeBalance:
            try await db.entry(150, "signup:150", 1, "signup")
            try await db.entry(150, "generation_charge:150-a", -1, "generation", ref: "150-a")
            try await db.entry(150, "generation_refund:150-a", 1, "refund", ref: "150-a")
            try await db.entry(150, "manual:150", -2, "manual")
            try await db.user(150, balance: -1, ops: [])
            return Expected(lines: [(.negativeBalance, "chat_id=150: ozhivashki is -1")])
        case .ledgerEntryLost:
            try await db.mongo.collection("ledger").deleteOne(["_id": "daily_bonus:200:2026-11-30"])
            return Expected(lines: [
                (.ledgerMissing, "chat_id=200 operation_id=daily_bonus:200:2026-11-30"),
                (.ledgerSumMismatch, "chat_id=200"),
            ])
        case .orphanEntries:
            // One chat between the users (found with a page), one after the last (the tail).
            try await db.entry(170, "signup:170", 1, "signup")
            try await db.entry(170, "daily_bonus:170:2026-11-30", 1, "daily_bonus")
            try await db.entry(999, "signup:999", 1, "signup")
            return Expected(lines: [(.ledgerOrphan, "chat_id=170: 2 ledger entries"), (.ledgerOrphan, "chat_id=999: 1 ledger")])
        case .chargeNeverSettled:
            try await db.entry(100, "generation_charge:100-lost", -1, "generation", ref: "100-lost")
            try await db.generation("100-lost", chat: 100, status: "failed")
            try await db.setUser(100, ["ozhivashki": 4])
            return Expected(lines: [(.chargeUnsettled, "chat_id=100 job_id=100-lost operation_id=generation_charge:100-lost")])
        case .successAndRefund:
            try await db.entry(100, "generation_refund:100-ok", 1, "refund", ref: "100-ok")
            try await db.setUser(100, ["ozhivashki": 6])
            return Expected(lines: [(.doubleSettlement, "chat_id=100 job_id=100-ok:")])
        case .refundWithoutCharge:
            try await db.entry(200, "generation_refund:200-phantom", 1, "refund", ref: "200-phantom")
            try await db.setUser(200, ["ozhivashki": 6])
            return Expected(lines: [(.settlementWithoutCharge, "chat_id=200 job_id=200-phantom operation_id=generation_refund:200-phantom")])
        case .activeAfterSuccess:
            try await db.setUser(100, ["active_generations": ["100-running", "100-ok"]])
            return Expected(lines: [(.activeOfFinishedJob, "chat_id=100 job_id=100-ok operation_id=generation_success:100-ok")])
        case .activeOfFailedRecord:
            try await db.mongo.collection("generations").updateOne(["_id": "200-running"], ["$set": ["status": "failed"]])
            return Expected(lines: [
                (.activeOfFinishedJob, "chat_id=200 job_id=200-running: still in active_generations, its generations record is failed")
            ])
        case .activeNeverCharged:
            try await db.setUser(200, ["active_generations": ["200-running", "200-ghost"]])
            return Expected(lines: [(.activeWithoutCharge, "chat_id=200 job_id=200-ghost")])
        case .succeededPaymentNotCredited:
            try await db.payment("pay-200-lost", chat: 200, status: "succeeded", ozhivashki: 10)
            return Expected(lines: [(.paymentNotCredited, "chat_id=200 payment_id=pay-200-lost operation_id=purchase:pay-200-lost")])
        case .paymentCreditedTwice:
            try await db.entry(100, "purchase_repeat:pay-100-ok", 5, "purchase", ref: "pay-100-ok")
            try await db.setUser(100, ["ozhivashki": 10])
            return Expected(lines: [(.paymentCreditedTwice, "chat_id=100 payment_id=pay-100-ok: credited by 2 operations")])
        case .paymentCreditedWrongAmount:
            try await db.mongo.collection("payments").updateOne(["_id": "pay-200-ok"], ["$set": ["ozhivashki": 7]])
            return Expected(lines: [
                (.paymentWrongAmount, "chat_id=200 payment_id=pay-200-ok operation_id=purchase:pay-200-ok: bought 7 ozhivashki, credited 5")
            ])
        case .canceledPaymentCredited:
            try await db.entry(100, "purchase:pay-100-canceled", 3, "purchase", ref: "pay-100-canceled")
            try await db.setUser(100, ["ozhivashki": 8])
            return Expected(lines: [(.canceledPaymentCredited, "chat_id=100 payment_id=pay-100-canceled operation_id=purchase:pay-100-canceled")])
        }
    }

    @Test(.needsMongo) func aConsistentDatabasePasses() async throws {
        try await AuditFixture.with { db in
            try await db.seedConsistent(chat: 100)
            try await db.seedConsistent(chat: 200)
            let result = try await db.audit()
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("0 problems; read 2 users, 18 ledger entries, 6 payments"), "\(result.output)")
        }
    }

    @Test(.needsServers) func whatTheServicesWriteAuditsClean() async throws {
        try await MetricsStack.run { stack in
            let settings = stack.services.settings
            let result = try await runAudit(mongoURI: settings.mongo.uri, database: settings.mongo.database)
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("0 problems; read 1 users"), "\(result.output)")
            // Nothing is in flight any more, with no grace either: the success has its ledger entry
            // (or, written before successes were recorded, its generations record is succeeded).
            let strict = try await runAudit(
                mongoURI: settings.mongo.uri, database: settings.mongo.database,
                arguments: ["--grace-seconds", "0"])
            #expect(strict.status == 0, "\(strict.output)")
        }
    }

    @Test(.needsMongo, arguments: Fault.allCases)
    func eachFaultIsReportedWithItsIds(_ fault: Fault) async throws {
        try await AuditFixture.with { db in
            try await db.seedConsistent(chat: 100)
            try await db.seedConsistent(chat: 200)
            let expected = try await apply(fault, db)
            let result = try await db.audit()
            #expect(result.status == 1, "\(result.output)")
            let lines = result.output.split(separator: "\n").map(String.init)
            for (code, ids) in expected.lines {
                #expect(lines.contains { $0.hasPrefix("\(code.rawValue) ") && $0.contains(ids) }, "\(code.rawValue) \(ids) in:\n\(result.output)")
            }
            let codes = Set(lines.compactMap { line in AuditProblem.Code.allCases.first { line.hasPrefix("\($0.rawValue) ") } })
            #expect(codes == Set(expected.lines.map(\.code)), "only the expected codes in:\n\(result.output)")
            #expect(lines.last?.hasPrefix("\(expected.lines.count) problem") == true, "\(result.output)")
        }
    }

    @Test(.needsMongo) func aWriteInFlightIsAProblemOnlyAfterTheGracePeriod() async throws {
        try await AuditFixture.with { db in
            try await db.seedConsistent(chat: 100)
            // The daily bonus applied just now has no ledger entry yet: in flight within 10 s,
            // missing (and the ledger short of the balance) with no grace at all.
            #expect(try await db.audit().status == 0)
            let strict = try await db.audit(["--grace-seconds", "0"])
            #expect(strict.status == 1)
            #expect(strict.output.contains("ledger_missing chat_id=100 operation_id=daily_bonus:100:2026-12-01"), "\(strict.output)")
            #expect(strict.output.contains("ledger_sum_mismatch chat_id=100"), "\(strict.output)")
        }
    }

    @Test(.needsMongo) func jsonCountsEveryCode() async throws {
        try await AuditFixture.with { db in
            try await db.seedConsistent(chat: 100)
            try await db.setUser(100, ["ozhivashki": -3, "active_generations": ["100-running", "100-ghost"]])
            let result = try await db.audit(["--json"])
            #expect(result.status == 1)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
            #expect(object["total"] as? Int == 3)
            let counts = try #require(object["counts"] as? [String: Int])
            #expect(counts.count == AuditProblem.Code.allCases.count)
            #expect(counts["ledger_sum_mismatch"] == 1 && counts["negative_balance"] == 1 && counts["active_without_charge"] == 1)
            let problems = try #require(object["problems"] as? [[String: Any]])
            #expect(
                problems.contains {
                    $0["code"] as? String == "active_without_charge" && $0["job_id"] as? String == "100-ghost"
                        && $0["chat_id"] as? Int == 100
                })
        }
    }

    @Test(.needsMongo) func pagesFindEveryUserAndEveryOrphan() async throws {
        try await AuditFixture.with { db in
            for chat in [10, 20, 30, 40, 50] as [Int64] { try await db.seedConsistent(chat: chat) }
            for orphan in [5, 25, 41, 60] as [Int64] { try await db.entry(orphan, "signup:\(orphan)", 1, "signup") }
            try await db.setUser(40, ["ozhivashki": 9])
            let report = try await MoneyAudit(mongo: db.mongo, options: AuditOptions(pageSize: 2, lookupBatch: 3)).run()
            #expect(report.users == 5 && report.payments == 15)
            #expect(report.problems.filter { $0.code == .ledgerOrphan }.compactMap(\.chatID).sorted() == [5, 25, 41, 60])
            #expect(report.problems.filter { $0.code == .ledgerSumMismatch }.map(\.chatID) == [40])
            #expect(report.total == 5, "\(report.problems.map(\.line))")

            let capped = try await db.audit(["--page-size", "3", "--limit", "2"])
            #expect(capped.status == 1)
            #expect(capped.output.contains("… and 3 more"), "\(capped.output)")
            #expect(capped.output.contains("5 problems (ledger_sum_mismatch 1, ledger_orphan 4)"), "\(capped.output)")
        }
    }

    @Test func anUnreachableDatabaseIsExitStatus2() async throws {
        let result = try await runAudit(mongoURI: "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300", database: "nowhere")
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("audit_store_unavailable"), "\(result.output)")
    }

    @Test(.needsServers) func theGenerationWorkerExportsTheAuditAsAGauge() async throws {
        try await AuditFixture.with { db in
            try await db.seedConsistent(chat: 100)
            try await db.setUser(100, ["ozhivashki": 8])
            let port = try freeLoopbackPort()
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("audit-worker-\(UUID().uuidString).log")
            let environment = try ProcessLifecycleTests.environment([
                "GEMINI_API_KEYS_STR": "p1:audit-test-gemini-key", "MONGO_DB_NAME": db.database, "AUDIT_INTERVAL_S": "1",
                "METRICS_HOST": "127.0.0.1", "METRICS_PORT": "\(port)", "REDIS_PREFIX": "audit:\(UUID().uuidString.prefix(8)):",
            ])
            let worker = try Executables.launch("ozh-generation-worker", environment, log: log)
            defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
            #expect(await Executables.waitForLog(log, containing: "waiting for jobs", within: .seconds(30)))

            let total = ["code": AuditMetrics.totalCode]
            let found = try await Self.scrape(port, until: { ($0.value("ozh_audit_last_success_timestamp_seconds") ?? 0) > 0 })
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            #expect(found.value("ozh_audit_problems", total) == 1, "\(output)")
            #expect(found.value("ozh_audit_problems", ["code": "ledger_sum_mismatch"]) == 1)
            #expect(found.value("ozh_audit_problems", ["code": "ledger_orphan"]) == 0)

            try await db.setUser(100, ["ozhivashki": 5])
            let fixed = try await Self.scrape(port, until: { $0.value("ozh_audit_problems", total) == 0 })
            #expect(fixed.value("ozh_audit_problems", ["code": "ledger_sum_mismatch"]) == 0)
            kill(worker.processIdentifier, SIGTERM)
            #expect(await Executables.waitForExit(worker, within: .seconds(15)) == 0)
        }
    }

    @Test(.needsServers) func auditIntervalZeroTurnsTheAuditOff() async throws {
        try await AuditFixture.with { db in
            try await db.user(1, balance: -5, ops: []) // an audit would log it
            let port = try freeLoopbackPort()
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("audit-off-\(UUID().uuidString).log")
            let environment = try ProcessLifecycleTests.environment([
                "GEMINI_API_KEYS_STR": "p1:audit-test-gemini-key", "MONGO_DB_NAME": db.database, "AUDIT_INTERVAL_S": "0",
                "METRICS_HOST": "127.0.0.1", "METRICS_PORT": "\(port)", "REDIS_PREFIX": "audit:\(UUID().uuidString.prefix(8)):",
            ])
            let worker = try Executables.launch("ozh-generation-worker", environment, log: log)
            defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
            #expect(await Executables.waitForLog(log, containing: "waiting for jobs", within: .seconds(30)))
            let metrics = try await Self.scrape(port, until: { $0.value("ozh_jobs_total") != nil })
            #expect(metrics.value("ozh_audit_problems") == nil, "no audit, no gauge")
            #expect(worker.isRunning, "the audit being off does not stop the worker")
            kill(worker.processIdentifier, SIGTERM)
            #expect(await Executables.waitForExit(worker, within: .seconds(15)) == 0)
            #expect(!((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("money audit"))
        }
    }

    /// Scrapes the worker on `port` until `condition` holds (at most 20 s, the port may not listen yet).
    static func scrape(_ port: Int, until condition: (MetricsText) -> Bool) async throws -> MetricsText {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let metrics = try? await scrapeWorker(port), condition(metrics) { return metrics }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await scrapeWorker(port)
    }

    @Test func withoutMongoURIItIsExitStatus2() async throws {
        let result = try await runAudit(mongoURI: "", database: "nowhere")
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("setting_missing: MONGO_URI is not set"), "\(result.output)")
    }

    @Test func onlyFaultsSeenOnBothReadsAreReported() {
        let first = [
            AuditProblem(.ledgerSumMismatch, chatID: 1, detail: "ozhivashki is 3 but 2"),
            AuditProblem(.activeOfFinishedJob, chatID: 1, jobID: "settled-meanwhile", detail: "first read"),
        ]
        let again = [
            AuditProblem(.ledgerSumMismatch, chatID: 1, detail: "ozhivashki is 4 but 2"),
            AuditProblem(.negativeBalance, chatID: 1, detail: "new since the first read"),
        ]
        let confirmed = MoneyAudit.confirmed(first, by: again)
        #expect(confirmed.map(\.line) == ["ledger_sum_mismatch chat_id=1: ozhivashki is 4 but 2"])
    }

    @Test func theGaugeCountsTheLastReport() async throws {
        var report = AuditReport(listLimit: 10)
        report.add(AuditProblem(.chargeUnsettled, chatID: 1, jobID: "j", detail: "test"))
        report.add(AuditProblem(.chargeUnsettled, chatID: 2, jobID: "k", detail: "test"))
        AuditMetrics.record(report)
        let text = String(decoding: Observability.renderMetrics(), as: UTF8.self)
        #expect(text.contains(#"ozh_audit_problems{code="charge_unsettled"} 2"#), "\(text)")
        #expect(text.contains(#"ozh_audit_problems{code="total"} 2"#))
        #expect(text.contains(#"ozh_audit_problems{code="ledger_orphan"} 0"#))
        AuditMetrics.record(AuditReport(listLimit: 0))
        #expect(String(decoding: Observability.renderMetrics(), as: UTF8.self).contains(#"ozh_audit_problems{code="total"} 0"#))
    }
}
