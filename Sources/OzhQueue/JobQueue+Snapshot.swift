import Foundation
import OzhRedis

/// A job as `GET /jobs/{id}` shows it: the hash and, while queued, its place in line.
public struct JobSnapshot: Sendable {
    /// The job. Its `payload` is not read (it shows `{}`): pollers never show it, and it is the
    /// one field that can be large.
    public var job: Job
    /// How many jobs are ahead of it in the ready list (0 = next); nil unless it is queued there.
    public var queuePosition: Int?
}

extension JobQueue {
    /// The job `id` and its queue position in one round trip to Redis (the hot path of
    /// polling), or nil when the job does not exist. The cost does not grow with the backlog:
    /// one HMGET of the fields a poller shows, and for a queued job one HGET and one LLEN.
    ///
    /// The position comes from tickets, never from scanning the list: every id entering a
    /// ready list gets a ticket in its hash (enqueue, promotion of a due retry and requeue of a
    /// dead job take the next one at the back; recovery, orphan reclaim and release at
    /// shutdown take the one below the front), and every take records the ticket it took.
    /// Jobs ahead = ticket − last taken − 1, clamped to 0 … LLEN − 1, so it is never negative
    /// and never past the list. It is exact while every change to the list goes through the
    /// queue's scripts; it reads one too high for others for the moment between a BLMOVE and
    /// its mark (or after a stray id was dropped), until the next take records its ticket; and
    /// it is nil for a job enqueued before tickets existed (no `qseq` in its hash).
    public func snapshot(id: String) async throws(JobQueueError) -> JobSnapshot? {
        let reply = try await run(JobQueueScripts.snapshot, keys: [keys("").job(id)], arguments: [configuration.prefix])
        guard let parts = reply.array, parts.count == 2, let values = parts[0].array, values.count == Self.snapshotFields.count,
            values[0].string != nil
        else { return nil }
        var fields: [String: String] = [:]
        fields.reserveCapacity(values.count)
        for (name, value) in zip(Self.snapshotFields, values) {
            if let value = value.string { fields[name] = value }
        }
        let position = parts[1].int ?? -1
        return JobSnapshot(job: try Job(fields: fields), queuePosition: position < 0 ? nil : Int(position))
    }

    /// The hash fields a snapshot reads, in the script's order (`id` first, `queue` third,
    /// `status` fourth, `qseq` 17th, then the callback's).
    static let snapshotFields =
        [
            "id", "kind", "queue", "status", "attempts", "max_attempts", "created_at", "started_at", "finished_at",
            "worker", "chat_id", "error_code", "error_message", "result", "progress", "run_at", "qseq",
        ] + JobCallback.Field.all
}

extension JobQueueScripts {
    /// `Lua/queue.snapshot.lua` (its header: what it takes and answers).
    static let snapshot = RedisScript(
        name: "queue.snapshot",
        source: tickets
            + LuaSource.text(PackageResources.queue_snapshot_lua)
            .replacingOccurrences(of: "{{snapshot_fields}}", with: JobQueue.snapshotFields.map { "'\($0)'" }.joined(separator: ", ")))
}
