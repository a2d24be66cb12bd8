import OzhRedis

/// The queue's Lua scripts. Each runs atomically in Redis, so two workers (or two
/// recoverers) never act on the same job twice. Times come from Redis' own clock (`TIME`),
/// so workers on machines with skewed clocks agree. Keys a script knows in advance are
/// passed in KEYS; keys derived from ids (job hashes, a dead worker's processing list) are
/// built from a prefix in ARGV, which a Redis Cluster would need hash tags for.
enum JobQueueScripts {
    /// Helpers shared by the scripts.
    static let prelude = """
        \(RedisScript.clockHelpers)
        \(LuaSource.text(PackageResources.queue_held_lua))
        \(tickets)
        \(LuaSource.text(PackageResources.queue_attempts_lua))

        """

    /// Queue positions without scanning (see ``JobQueue/snapshot(id:)``): `Lua/queue.tickets.lua`,
    /// whose header explains the tickets; the blank line after it is part of every script's text.
    static let tickets = LuaSource.text(PackageResources.queue_tickets_lua) + "\n"

    static func script(_ name: String, _ body: String) -> RedisScript {
        RedisScript(name: "queue.\(name)", source: prelude + body)
    }

    /// `Lua/queue.enqueue.lua` (its header: what it takes and answers).
    static let enqueue = script("enqueue", LuaSource.text(PackageResources.queue_enqueue_lua))

    /// `Lua/queue.mark_processing.lua` (its header: what it takes and answers).
    static let markProcessing = script("mark_processing", LuaSource.text(PackageResources.queue_mark_processing_lua))

    /// `Lua/queue.complete.lua` (its header: what it takes and answers).
    static let complete = script("complete", LuaSource.text(PackageResources.queue_complete_lua))

    /// `Lua/queue.fail.lua` (its header: what it takes and answers).
    static let fail = script("fail", LuaSource.text(PackageResources.queue_fail_lua))

    /// `Lua/queue.postpone.lua` (its header: what it takes and answers).
    static let postpone = script("postpone", LuaSource.text(PackageResources.queue_postpone_lua))

    /// `Lua/queue.release.lua` (its header: what it takes and answers).
    static let release = script("release", LuaSource.text(PackageResources.queue_release_lua))
}
