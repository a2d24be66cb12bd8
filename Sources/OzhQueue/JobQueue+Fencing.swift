import OzhRedis

extension JobQueue {
    /// Whether `worker` still holds the attempt of `job` it reserved: the job is `processing`
    /// under `worker` with the same attempt number. One HMGET; the queue's own scripts
    /// (complete, fail, postpone, release) check the same three fields atomically.
    /// Throws ``JobLost`` when it does not.
    public func confirmHeld(_ job: Job, worker: String) async throws {
        let reply: RedisReply
        do {
            reply = try await redis.send("HMGET", keys(job.queue).job(job.id), "status", "worker", "attempts")
        } catch {
            throw JobQueueError.redis(error)
        }
        let fields = (reply.array ?? []).map(\.string)
        guard fields.count == 3 else { throw JobQueueError.redis(.unexpectedReply("HMGET returned \(reply)")) }
        guard fields[0] == JobStatus.processing.rawValue, fields[1] == worker, fields[2] == String(job.attempts) else {
            throw JobLost(jobID: job.id, holder: fields[0] == JobStatus.processing.rawValue ? fields[1] : nil)
        }
    }
}
