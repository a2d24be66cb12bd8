import OzhRedis

/// Scripts of maintenance (promotion, heartbeats, recovery) and inspection; see ``JobQueueScripts``.
extension JobQueueScripts {
    /// `Lua/queue.promote_due.lua` (its header: what it takes and answers).
    static let promoteDue = script("promote_due", LuaSource.text(PackageResources.queue_promote_due_lua))

    /// `Lua/queue.heartbeat.lua` (its header: what it takes and answers).
    static let heartbeat = script("heartbeat", LuaSource.text(PackageResources.queue_heartbeat_lua))

    /// `Lua/queue.recover_dead_workers.lua` (its header: what it takes and answers).
    static let recoverDeadWorkers = script("recover_dead_workers", LuaSource.text(PackageResources.queue_recover_dead_workers_lua))

    /// `Lua/queue.retire.lua` (its header: what it takes and answers).
    static let retire = script("retire", LuaSource.text(PackageResources.queue_retire_lua))

    /// `Lua/queue.reclaim_orphans.lua` (its header: what it takes and answers).
    static let reclaimOrphans = script("reclaim_orphans", LuaSource.text(PackageResources.queue_reclaim_orphans_lua))

    /// `Lua/queue.requeue_dead.lua` (its header: what it takes and answers).
    static let requeueDead = script("requeue_dead", LuaSource.text(PackageResources.queue_requeue_dead_lua))

    /// `Lua/queue.purge_dead.lua` (its header: what it takes and answers).
    static let purgeDead = script("purge_dead", LuaSource.text(PackageResources.queue_purge_dead_lua))

    /// `Lua/queue.set_progress.lua` (its header: what it takes and answers).
    static let setProgress = script("set_progress", LuaSource.text(PackageResources.queue_set_progress_lua))

    /// `Lua/queue.position.lua` (its header: what it takes and answers).
    static let position = RedisScript(name: "queue.position", source: tickets + LuaSource.text(PackageResources.queue_position_lua))
}
