import Foundation
import OzhMongo

/// A read-only audit of the money in MongoDB (never Redis), paged so it is safe against
/// production: users are read `pageSize` at a time in `_id` order with their ledger entries,
/// the `generations` records it needs and, in a second pass, the `payments`; every query has
/// a projection and uses an index (`_id`, or the ledger's `chat_id_seq`).
///
/// It checks that every user's ledger sums to its balance and no balance is negative, that
/// every recent operation has its ledger entry, that every generation charge has exactly one
/// settlement or its job is still active, that every `active_generations` entry belongs to a
/// charged, unfinished job, and that every succeeded payment was credited once with its amount
/// and no canceled one was. A write in flight is not a problem: a user or payment found
/// faulty is read again (in the order the writers write: `generations` or `payments` first,
/// then the ledger, then the user), and only faults seen both times are reported; an operation
/// without its ledger entry counts only once it is older than ``AuditOptions/grace``.
public struct MoneyAudit: Sendable {
    let users: MongoCollection
    let ledger: MongoCollection
    let generations: MongoCollection
    let payments: MongoCollection
    /// How it reads.
    public let options: AuditOptions
    let clock: @Sendable () -> Date

    /// An audit of `mongo`'s database.
    public init(mongo: MongoClient, options: AuditOptions = AuditOptions()) {
        users = mongo.collection("users")
        ledger = mongo.collection("ledger")
        generations = mongo.collection("generations")
        payments = mongo.collection("payments")
        self.options = options
        clock = { Date() }
    }

    /// Reads everything once and reports what is wrong.
    public func run() async throws(AuditError) -> AuditReport {
        try options.validate()
        var report = AuditReport(listLimit: options.listLimit)
        try await auditUsers(into: &report)
        try await auditPayments(into: &report)
        return report
    }

    /// Runs a MongoDB read, turning its failure into ``AuditError/storeUnavailable(reason:)``.
    func read<T: Sendable>(_ body: () async throws -> T) async throws(AuditError) -> T {
        do {
            return try await body()
        } catch {
            throw .storeUnavailable(reason: "\(error)")
        }
    }

    /// `values` in chunks of at most ``AuditOptions/lookupBatch``, for `$in` queries.
    func batches<T>(_ values: [T]) -> [ArraySlice<T>] {
        stride(from: 0, to: values.count, by: options.lookupBatch).map {
            values[$0..<min($0 + options.lookupBatch, values.count)]
        }
    }

    /// Whether something applied at `at` is older than the grace period now.
    func isPastGrace(_ at: Date?, now: Date) -> Bool {
        guard let at else { return true }
        return now.timeIntervalSince(at) >= options.graceSeconds
    }

    /// The problems of `fresh` whose key was also among `candidates`: a fault seen on two reads.
    static func confirmed(_ candidates: [AuditProblem], by fresh: [AuditProblem]) -> [AuditProblem] {
        let keys = Set(candidates.map(\.key))
        var seen = Set<String>()
        return fresh.filter { keys.contains($0.key) && seen.insert($0.key).inserted }
    }
}
