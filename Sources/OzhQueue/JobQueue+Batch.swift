import Foundation
import OzhRedis

/// A job to enqueue in a batch.
public struct NewJob: Sendable {
    public var kind: String
    public var payload: String
    public var chatID: Int64?
    public var maxAttempts: Int
    public var id: String

    public init(
        kind: String, payload: String = "{}", chatID: Int64? = nil, maxAttempts: Int = 5,
        id: String = UUID().uuidString.lowercased()
    ) {
        self.kind = kind
        self.payload = payload
        self.chatID = chatID
        self.maxAttempts = maxAttempts
        self.id = id
    }
}

extension JobQueue {
    /// Enqueues many jobs in one round trip (the enqueue script pipelined); each job is still
    /// written atomically and idempotently by id. Returns the ids in order.
    @discardableResult
    public func enqueue(_ jobs: [NewJob], queue: String) async throws(JobQueueError) -> [String] {
        guard !jobs.isEmpty else { return [] }
        for job in jobs where job.maxAttempts < 1 || job.kind.isEmpty || job.id.isEmpty || job.id.contains(" ") {
            throw .invalidArgument("job \(job.id): kind and id must be non-empty, id without spaces, maxAttempts ≥ 1")
        }
        let k = keys(queue)
        let calls = jobs.map { job in
            (
                keys: [k.job(job.id), k.ready, k.sequence],
                arguments: [job.id, job.kind, queue, job.payload, job.chatID.map(String.init) ?? "", String(job.maxAttempts), k.events]
            )
        }
        let replies: [RedisReply]
        do {
            replies = try await redis.runEach(JobQueueScripts.enqueue, calls)
        } catch {
            throw .redis(error)
        }
        if let failure = replies.first(where: { if case .error = $0 { true } else { false } }), case .error(let text) = failure {
            throw .redis(.reply(text))
        }
        return jobs.map(\.id)
    }
}
