import Foundation

extension GenerationService {
    /// One pass of the refund sweep (``GenerationReconciler``): refunds, through
    /// ``refund(jobID:chatID:)``, the charges whose job can no longer run, settles the successes
    /// nobody settled, and writes ledger entries a crash lost; `pageSize` users at a time.
    @discardableResult
    public func sweep(after: Duration, now: Date = Date(), pageSize: Int = 200) async throws -> GenerationReconciler.Report {
        try await GenerationReconciler(service: self).sweep(after: after, now: now, pageSize: pageSize)
    }

    /// The indexes the sweep reads by (see ``Ledger/createIndexes()``).
    public func createSweepIndexes() async throws {
        try await billing.ledger.createIndexes()
    }
}
