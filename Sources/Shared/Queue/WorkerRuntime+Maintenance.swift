extension WorkerRuntime {
    /// Heart-beats, promotes due jobs, recovers dead workers and reclaims this worker's
    /// orphans every ``JobQueueConfiguration/heartbeatInterval`` until `stop`.
    /// It keeps running while in-flight jobs drain, so they are never taken as dead.
    func maintenanceLoop(until stop: ShutdownSignal) async {
        let queue = configuration.queue, worker = configuration.workerID
        var suspects: Set<String> = []
        while !stop.isTriggered {
            do {
                try await jobQueue.heartbeat(queue: queue, worker: worker)
                for _ in 0..<10 {  // up to 1000 due jobs a tick
                    if try await jobQueue.promoteDue(queue: queue, limit: 100) < 100 { break }
                }
                let report = try await jobQueue.recoverDeadWorkers(queue: queue)
                if report.workers > 0 {
                    logger.notice("recovered jobs of dead workers", metadata: [
                        "workers": "\(report.workers)", "requeued": "\(report.requeued)", "dead": "\(report.dead)",
                    ])
                }
                suspects = try await reclaimOrphans(suspects)
            } catch {
                logger.warning("maintenance failed", metadata: ["error": "\(error)"])
            }
            _ = await stop.sleep(for: jobQueue.configuration.heartbeatInterval)
        }
    }

    /// Ids this worker holds in Redis but is not running: reclaimed when seen twice a tick
    /// apart (a reserve in progress is registered long before the next tick).
    private func reclaimOrphans(_ suspects: Set<String>) async throws(JobQueueError) -> Set<String> {
        let held = try await jobQueue.held(queue: configuration.queue, worker: configuration.workerID)
        let running = inFlight.withLock { $0 }
        let orphans = Set(held).subtracting(running)
        let confirmed = orphans.intersection(suspects)
        if !confirmed.isEmpty {
            let count = try await jobQueue.reclaimOrphans(queue: configuration.queue, worker: configuration.workerID,
                                                          ids: Array(confirmed))
            logger.warning("reclaimed orphaned jobs", metadata: ["count": "\(count)"])
        }
        return orphans.subtracting(confirmed)
    }
}
