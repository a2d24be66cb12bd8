import Foundation
import TestSupport

@testable import OzhMongo

/// A database of its own with money data written straight into MongoDB, as the services
/// would have left it: a consistent user (``seedConsistent()``), then faults on top.
struct AuditFixture {
    let mongoURI: String
    let database: String
    let mongo: MongoClient
    /// Now, to the millisecond (what MongoDB keeps).
    let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded() / 1000)
    /// An hour ago: far past any grace period.
    var old: Date { now.addingTimeInterval(-3600) }

    init() throws {
        let uri = try TestServers.mongoURI
        mongoURI = uri
        database = "audit_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        mongo = try MongoClient(uri: uri, database: database)
    }

    /// Runs `body` on a fresh fixture and drops its database afterwards.
    static func with<T>(_ body: (AuditFixture) async throws -> T) async throws -> T {
        let fixture = try AuditFixture()
        defer { fixture.mongo.shutdown() }
        do {
            let result = try await body(fixture)
            try? await fixture.mongo.dropDatabase()
            return result
        } catch {
            try? await fixture.mongo.dropDatabase()
            throw error
        }
    }

    /// `ozh-admin audit` over this database.
    func audit(_ arguments: [String] = []) async throws -> (status: Int32, output: String) {
        try await runAudit(mongoURI: mongoURI, database: database, arguments: arguments)
    }

    /// One operation as `users.ops` holds it.
    func op(_ id: String, _ delta: Int64, _ reason: String, ref: String? = nil, at: Date? = nil) -> BSON {
        [
            "id": .string(id), "seq": 0, "delta": .int64(delta), "reason": .string(reason),
            "ref": ref.map(BSON.string) ?? .null, "at": .date(at ?? old), "balance_after": 0,
        ]
    }

    /// Inserts a user document.
    func user(_ chat: Int64, balance: Int64, ops: [BSON], active: [String] = []) async throws {
        try await mongo.collection("users").insertOne([
            "_id": .int64(chat), "ozhivashki": .int64(balance), "rev": .int64(Int64(ops.count)), "ops": .array(ops),
            "active_generations": .array(active.map(BSON.string)), "generation_count": 0, "registered_at": .date(old),
        ])
    }

    /// Inserts a ledger entry.
    func entry(_ chat: Int64, _ id: String, _ delta: Int64, _ reason: String, ref: String? = nil, at: Date? = nil) async throws {
        try await mongo.collection("ledger").insertOne([
            "_id": .string(id), "chat_id": .int64(chat), "seq": 0, "delta": .int64(delta), "reason": .string(reason),
            "ref": ref.map(BSON.string) ?? .null, "at": .date(at ?? old), "balance_after": 0,
        ])
    }

    /// Inserts a `generations` record.
    func generation(_ job: String, chat: Int64, status: String) async throws {
        try await mongo.collection("generations").insertOne([
            "_id": .string(job), "chat_id": .int64(chat), "status": .string(status), "created_at": .date(old),
        ])
    }

    /// Inserts a `payments` record as ``PaymentService`` writes it.
    func payment(_ id: String, chat: Int64, status: String, ozhivashki: Int64) async throws {
        try await mongo.collection("payments").insertOne([
            "_id": .string(id), "chat_id": .int64(chat), "status": .string(status), "ozhivashki": .int64(ozhivashki),
            "amount": "100.00", "currency": "RUB", "created_at": .date(old), "checked_at": .date(old),
        ])
    }

    /// Sets fields of user `chat`.
    func setUser(_ chat: Int64, _ fields: BSONDocument) async throws {
        try await mongo.collection("users").updateOne(["_id": .int64(chat)], ["$set": .document(fields)])
    }

    /// A user with every kind of history, all consistent; returns its balance (5).
    ///
    /// signup and a daily bonus (+2); job `<chat>-ok` charged and succeeded (0 delta, recorded);
    /// `<chat>-refunded` charged and refunded; `<chat>-legacy` charged and succeeded before
    /// successes were recorded (its success only in `ops`, the record succeeded); `<chat>-running`
    /// charged and active; payment `pay-<chat>-ok` succeeded and credited (+5), `pay-<chat>-canceled`
    /// canceled and `pay-<chat>-pending` pending, neither credited; and a daily bonus applied just
    /// now whose ledger entry is still in flight (+1). Balance 2 - 1 + 0 - 1 + 1 - 1 - 1 + 5 + 1 = 5.
    @discardableResult
    func seedConsistent(chat: Int64) async throws -> Int64 {
        let (ok, refunded, legacy, running) = ("\(chat)-ok", "\(chat)-refunded", "\(chat)-legacy", "\(chat)-running")
        let recorded: [(String, Int64, String, String?)] = [
            ("signup:\(chat)", 1, "signup", nil), ("daily_bonus:\(chat):2026-11-30", 1, "daily_bonus", "2026-11-30"),
            ("generation_charge:\(ok)", -1, "generation", ok), ("generation_success:\(ok)", 0, "generation_success", ok),
            ("generation_charge:\(refunded)", -1, "generation", refunded), ("generation_refund:\(refunded)", 1, "refund", refunded),
            ("generation_charge:\(legacy)", -1, "generation", legacy),
            ("generation_charge:\(running)", -1, "generation", running),
            ("purchase:pay-\(chat)-ok", 5, "purchase", "pay-\(chat)-ok"),
        ]
        for (id, delta, reason, ref) in recorded { try await entry(chat, id, delta, reason, ref: ref) }
        var ops = recorded.map { op($0.0, $0.1, $0.2, ref: $0.3) }
        ops.append(op("generation_success:\(legacy)", 0, "generation_success", ref: legacy))
        ops.append(op("daily_bonus:\(chat):2026-12-01", 1, "daily_bonus", ref: "2026-12-01", at: now))
        try await user(chat, balance: 5, ops: ops, active: [running])
        try await generation(ok, chat: chat, status: "succeeded")
        try await generation(refunded, chat: chat, status: "failed")
        try await generation(legacy, chat: chat, status: "succeeded")
        try await generation(running, chat: chat, status: "processing")
        try await payment("pay-\(chat)-ok", chat: chat, status: "succeeded", ozhivashki: 5)
        try await payment("pay-\(chat)-canceled", chat: chat, status: "canceled", ozhivashki: 3)
        try await payment("pay-\(chat)-pending", chat: chat, status: "pending", ozhivashki: 3)
        return 5
    }
}
