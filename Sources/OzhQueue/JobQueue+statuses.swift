import Foundation
import OzhRedis

extension JobQueue {
    /// The status of each job in `ids` that exists, read in one pipelined round trip (for
    /// sweeps that check many jobs at once).
    public func statuses(ids: [String]) async throws(JobQueueError) -> [String: JobStatus] {
        let replies: [RedisReply]
        do {
            replies = try await redis.pipeline(ids.map { ["HGET", "\(configuration.prefix)job:\($0)", "status"] })
        } catch {
            throw .redis(error)
        }
        var statuses: [String: JobStatus] = [:]
        for (id, reply) in zip(ids, replies) {
            if let status = reply.string.flatMap(JobStatus.init(rawValue:)) { statuses[id] = status }
        }
        return statuses
    }
}
