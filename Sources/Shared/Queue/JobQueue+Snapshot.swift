import Foundation

/// A job as `GET /jobs/{id}` shows it: the hash and, while queued, its place in line.
public struct JobSnapshot: Sendable {
    /// The job.
    public var job: Job
    /// How many jobs are ahead of it in the ready list (0 = next); nil unless it is queued there.
    public var queuePosition: Int?
}

extension JobQueue {
    /// The job `id` and its queue position in one round trip to Redis (the hot path of
    /// polling), or nil when the job does not exist.
    public func snapshot(id: String) async throws(JobQueueError) -> JobSnapshot? {
        let reply = try await run(JobQueueScripts.snapshot, keys: [keys("").job(id)], arguments: [configuration.prefix, id])
        guard let parts = reply.array, parts.count == 2 else { return nil }
        let fields = parts[0].pairs
        guard !fields.isEmpty else { return nil }
        let position = parts[1].int ?? -1
        return JobSnapshot(job: try Job(fields: fields), queuePosition: position < 0 ? nil : Int(position))
    }
}

extension JobQueueScripts {
    /// KEYS: job. ARGV: prefix, id. Returns {hash fields, position or -1}; the ready list's key
    /// comes from the job's own `queue` field.
    static let snapshot = script("snapshot", """
    local h = redis.call('HGETALL', KEYS[1])
    if #h == 0 then return {{}, -1} end
    local status, queue
    for i = 1, #h, 2 do
      if h[i] == 'status' then status = h[i + 1] elseif h[i] == 'queue' then queue = h[i + 1] end
    end
    local ahead = -1
    if status == 'queued' and queue then ahead = position(ARGV[1] .. 'queue:' .. queue, ARGV[2]) end
    return {h, ahead}
    """)
}
