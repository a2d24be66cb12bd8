import Logging
import OzhDomain
import OzhQueue
import ServiceLifecycle

/// Runs the money audit (``MoneyAudit``) every `interval` in the generation worker and
/// publishes its counts as `ozh_audit_problems` (``AuditMetrics``). Read-only: any number of
/// workers may run it. A nil `interval` (`AUDIT_INTERVAL_S=0`) turns it off.
struct AuditScheduler: Service {
    let audit: MoneyAudit
    let interval: Duration?
    let logger: Logger

    /// Creates the gauges at once (when on), so they are exported before the first audit ends.
    init(audit: MoneyAudit, interval: Duration?, logger: Logger) {
        self.audit = audit
        self.interval = interval
        self.logger = logger
        if interval != nil { AuditMetrics.prepare() }
    }

    func run() async throws {
        guard let interval else {
            try await gracefulShutdown()
            return
        }
        await periodically(every: interval, "money audit", logger: logger) {
            await runOnce()
        }
    }

    /// One audit: the gauges on success, a warning per problem listed, a warning on failure.
    func runOnce() async {
        let started = ContinuousClock.now
        do {
            let report = try await audit.run()
            AuditMetrics.record(report)
            for problem in report.problems.prefix(20) {
                logger.warning(
                    "money audit problem",
                    metadata: [
                        "code": "\(problem.code.rawValue)", "chat_id": "\(problem.chatID.map(String.init) ?? "-")",
                        "job_id": "\(problem.jobID ?? "-")", "payment_id": "\(problem.paymentID ?? "-")",
                        "operation_id": "\(problem.operationID ?? "-")", "detail": "\(problem.detail)",
                    ])
            }
            logger.info(
                "money audit finished",
                metadata: [
                    "problems": "\(report.total)", "users": "\(report.users)", "duration": "\(ContinuousClock.now - started)",
                ])
        } catch {
            logger.warning("money audit failed; will try again", metadata: ["error": "\(error)"])
        }
    }
}
