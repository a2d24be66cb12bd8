import Foundation
import OzhRedis

extension QuotaLimiter {
    /// `<prefix>quota:gemini:keyring`: hash project → its keys' public view (``GeminiKeyring/publicView``).
    public static func publishedKeyringKey(prefix: String) -> String { "\(prefix)quota:gemini:keyring" }

    /// Publishes this limiter's keyring (ids and labels, never secrets) so a gateway that only
    /// knows the project names can tell when every key is disabled. A project's entry is
    /// replaced whole; projects this worker does not have are left alone.
    public func publishKeyring() async throws(QuotaError) {
        let view = keyring.publicView
        guard !view.isEmpty else { return }
        var command = ["HSET", Self.publishedKeyringKey(prefix: prefix)]
        for project in keyring.projects { command += [project, view[project] ?? "[]"] }
        _ = try await send(command)
    }

    /// A limiter over `projects` whose keys are the ones the workers published. A project
    /// nobody published yet gets one placeholder key that is never disabled, so its day and
    /// window are still checked. For ``availability(cost:images:)`` and ``status()`` only:
    /// its keys have no secret.
    public static func published(
        redis: RedisClient, projects: [String], limits: QuotaLimits,
        prefix: String
    ) async throws(QuotaError) -> QuotaLimiter {
        let reply: RedisReply
        do {
            reply = try await redis.send(["HGETALL", publishedKeyringKey(prefix: prefix)])
        } catch {
            throw .redis(error)
        }
        let published = reply.pairs
        var keys: [GeminiKey] = []
        for project in projects {
            let known = published[project].map { GeminiKeyring.publicKeys(of: project, json: $0) } ?? []
            keys += known.isEmpty ? [GeminiKey(publicID: unpublishedKeyID, label: "unpublished", project: project)] : known
        }
        return try QuotaLimiter(
            redis: redis, keyring: GeminiKeyring(publicKeys: keys, projects: projects), limits: limits,
            prefix: prefix)
    }

    /// The id of the placeholder key of a project no worker has published.
    static let unpublishedKeyID = "k-unpublished"
}
