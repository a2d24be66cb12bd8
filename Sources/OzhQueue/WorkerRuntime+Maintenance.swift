extension WorkerRuntime {
    /// Heart-beats, promotes due jobs, recovers dead workers and reclaims this worker's
    /// orphans every ``JobQueueConfiguration/heartbeatInterval`` until `stop`.
    /// It keeps running while in-flight jobs drain, so they are never taken as dead.
    ///
    /// A worker whose own heartbeats lapsed long enough that others may look dead for the
    /// same reason (Redis stalled or restarted, this process paused or partitioned) recovers
    /// nobody for a full dead-after period: the others get the chance to heartbeat again
    /// before anyone judges them by a gap that was not theirs.
    func maintenanceLoop(until stop: ShutdownSignal) async {
        let queue = configuration.queue, worker = configuration.workerID
        let settings = jobQueue.configuration
        var suspects: Set<String> = []
        var lastBeat = ContinuousClock.now // runLoops heart-beat just before starting this loop
        var recoveryHeldUntil: ContinuousClock.Instant?
        while !stop.isTriggered {
            do {
                try await jobQueue.heartbeat(queue: queue, worker: worker)
                let now = ContinuousClock.now
                if now - lastBeat > Self.lapseThreshold(settings) {
                    recoveryHeldUntil = now + settings.workerDeadAfter
                    logger.notice(
                        "heartbeats lapsed; recovering nobody until the others had a dead-after period to heartbeat",
                        metadata: [
                            "lapse_ms": "\((now - lastBeat).wholeMilliseconds)"
                        ])
                }
                lastBeat = now
                for _ in 0..<10 { // up to 1000 due jobs a tick
                    if try await jobQueue.promoteDue(queue: queue, limit: 100) < 100 { break }
                }
                if let held = recoveryHeldUntil, now < held {
                    _ = await stop.sleep(for: settings.heartbeatInterval)
                    continue
                }
                recoveryHeldUntil = nil
                let report = try await jobQueue.recoverDeadWorkers(queue: queue, recoverer: worker)
                if report.refused {
                    recoveryHeldUntil = ContinuousClock.now + settings.workerDeadAfter
                    logger.notice(
                        "recovery call was delayed past a heartbeat interval; recovering nobody until the others had a dead-after period to heartbeat"
                    )
                } else if report.workers > 0 {
                    logger.notice(
                        "recovered jobs of dead workers",
                        metadata: [
                            "workers": "\(report.workers)", "requeued": "\(report.requeued)", "dead": "\(report.dead)",
                        ])
                }
                await pushRecoveredEnds(report.deadWithCallback)
                suspects = try await reclaimOrphans(suspects)
            } catch {
                logger.warning("maintenance failed", metadata: ["error": "\(error)"])
            }
            _ = await stop.sleep(for: jobQueue.configuration.heartbeatInterval)
        }
    }

    /// A gap between two of this worker's heartbeats past which another worker's heartbeat may
    /// have gone stale for the same cause: dead-after less two intervals (at least 1.5 intervals).
    static func lapseThreshold(_ settings: JobQueueConfiguration) -> Duration {
        max(settings.workerDeadAfter - settings.heartbeatInterval * 2, settings.heartbeatInterval * 3 / 2)
    }

    /// Ids this worker holds in Redis but is not running: reclaimed when seen twice a tick
    /// apart (a reserve in progress is registered long before the next tick).
    private func reclaimOrphans(_ suspects: Set<String>) async throws(JobQueueError) -> Set<String> {
        let held = try await jobQueue.held(queue: configuration.queue, worker: configuration.workerID)
        let running = inFlight.withLock { $0 }
        let orphans = Set(held).subtracting(running)
        let confirmed = orphans.intersection(suspects)
        if !confirmed.isEmpty {
            let count = try await jobQueue.reclaimOrphans(
                queue: configuration.queue, worker: configuration.workerID,
                ids: Array(confirmed))
            logger.warning("reclaimed orphaned jobs", metadata: ["count": "\(count)"])
        }
        return orphans.subtracting(confirmed)
    }
}
