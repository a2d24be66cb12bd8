import Foundation

/// A job to enqueue in a batch.
public struct NewJob: Sendable {
    public var kind: String
    public var payload: String
    public var chatID: Int64?
    public var maxAttempts: Int
    public var id: String

    public init(kind: String, payload: String = "{}", chatID: Int64? = nil, maxAttempts: Int = 5,
                id: String = UUID().uuidString.lowercased()) {
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
        let script = JobQueueScripts.enqueue
        let commands = jobs.map { job in
            [String(2), k.job(job.id), k.ready, job.id, job.kind, queue, job.payload,
             job.chatID.map(String.init) ?? "", String(job.maxAttempts), k.events]
        }
        do {
            let replies = try await redis.withConnection { connection throws(RedisError) in
                // Make sure the script is loaded (and its digest known), then pipeline EVALSHA.
                var sha = script.cachedSHA()
                if sha == nil {
                    guard let loaded = try connection.command(["SCRIPT", "LOAD", script.source]).string else {
                        throw RedisError.unexpectedReply("SCRIPT LOAD returned no digest")
                    }
                    script.remember(loaded)
                    sha = loaded
                }
                var replies = try connection.pipeline(commands.map { ["EVALSHA", sha!] + $0 })
                if replies.contains(where: { if case .error(let text) = $0 { return text.hasPrefix("NOSCRIPT") } else { return false } }) {
                    _ = try connection.command(["SCRIPT", "LOAD", script.source])
                    replies = try connection.pipeline(commands.map { ["EVALSHA", sha!] + $0 })
                }
                return replies
            }
            if let failure = replies.first(where: { if case .error = $0 { return true } else { return false } }), case .error(let text) = failure {
                throw RedisError.reply(text)
            }
        } catch let error as RedisError {
            throw .redis(error)
        } catch {
            throw .redis(.unexpectedReply("\(error)"))
        }
        return jobs.map(\.id)
    }
}
