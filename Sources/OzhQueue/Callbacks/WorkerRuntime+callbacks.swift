extension WorkerRuntime {
    /// Queues the `failed` push of jobs that recovery found out of attempts (their worker died
    /// holding their last one): they ended outside any handler run, so no completion pushed them.
    func pushRecoveredEnds(_ ids: [String]) async {
        for id in ids {
            var logger = self.logger
            logger[metadataKey: "job_id"] = "\(id)"
            do {
                guard let job = try await jobQueue.job(id: id) else { continue }
                await jobQueue.pushEnd(of: job, status: .failed, logger: logger)
            } catch {
                CallbackMetrics.record("enqueue_failed")
                logger.error("could not read a recovered job to push its end", metadata: ["error": "\(error)"])
            }
        }
    }
}
