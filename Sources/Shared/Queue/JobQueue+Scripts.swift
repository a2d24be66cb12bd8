/// The queue's Lua scripts. Each runs atomically in Redis, so two workers (or two
/// recoverers) never act on the same job twice. Times come from Redis' own clock (`TIME`),
/// so workers on machines with skewed clocks agree. Keys a script knows in advance are
/// passed in KEYS; keys derived from ids (job hashes, a dead worker's processing list) are
/// built from a prefix in ARGV, which a Redis Cluster would need hash tags for.
enum JobQueueScripts {
    /// Helpers shared by the scripts.
    static let prelude = """
    \(RedisScript.clockHelpers)
    -- True (and the id leaves the processing list) when `worker` still holds attempt `attempts` of the job.
    local function take(job, processing, id, worker, attempts)
      local h = redis.call('HMGET', job, 'status', 'worker', 'attempts')
      if h[1] ~= 'processing' or h[2] ~= worker or h[3] ~= attempts then return false end
      return redis.call('LREM', processing, -1, id) > 0
    end
    -- How many ids are ahead of `id` in the ready list (0 = next), or -1 when it is not there.
    local function position(ready, id)
      local i = redis.call('LPOS', ready, id, 'RANK', -1)
      if not i then return -1 end
      return redis.call('LLEN', ready) - 1 - i
    end
    -- Starts an attempt of a job just moved into `worker`'s processing list; returns its hash.
    local function start_attempt(job, id, worker, channel)
      redis.call('HSET', job, 'status', 'processing', 'worker', worker, 'started_at', fmt(now_ms()))
      redis.call('HINCRBY', job, 'attempts', 1)
      redis.call('HDEL', job, 'run_at')
      redis.call('PUBLISH', channel, id .. ' processing')
      return redis.call('HGETALL', job)
    end

    """

    static func script(_ name: String, _ body: String) -> RedisScript {
        RedisScript(name: "queue.\(name)", source: prelude + body)
    }

    /// KEYS: job, ready. ARGV: id, kind, queue, payload, chat_id or '', max_attempts, channel.
    /// Returns 1, or 0 when a job with this id already exists (nothing is written then).
    static let enqueue = script("enqueue", """
    if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
    redis.call('HSET', KEYS[1], 'id', ARGV[1], 'kind', ARGV[2], 'queue', ARGV[3], 'status', 'queued',
      'payload', ARGV[4], 'attempts', '0', 'max_attempts', ARGV[6], 'created_at', fmt(now_ms()))
    if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'chat_id', ARGV[5]) end
    redis.call('LPUSH', KEYS[2], ARGV[1])
    redis.call('PUBLISH', ARGV[7], ARGV[1] .. ' queued')
    return 1
    """)

    /// Runs right after BLMOVE put the id into the worker's processing list.
    /// KEYS: job, processing. ARGV: id, worker, channel. Returns the hash, or nil for a stray id (dropped).
    static let markProcessing = script("mark_processing", """
    -- Reclaimed meanwhile (see reclaim_orphans): not ours any more.
    if not redis.call('LPOS', KEYS[2], ARGV[1]) then return false end
    if redis.call('HGET', KEYS[1], 'status') ~= 'queued' then
      redis.call('LREM', KEYS[2], 1, ARGV[1])
      return false
    end
    return start_attempt(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
    """)

    /// KEYS: job, processing. ARGV: id, worker, attempts, result, ttl_ms, channel. Returns 1, or 0 when not held.
    static let complete = script("complete", """
    if not take(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3]) then return 0 end
    redis.call('HSET', KEYS[1], 'status', 'succeeded', 'result', ARGV[4], 'finished_at', fmt(now_ms()))
    redis.call('HDEL', KEYS[1], 'error_code', 'error_message', 'run_at')
    redis.call('PEXPIRE', KEYS[1], ARGV[5])
    redis.call('PUBLISH', ARGV[6], ARGV[1] .. ' succeeded')
    return 1
    """)

    /// KEYS: job, processing, delayed, dead. ARGV: id, worker, attempts, code, message, retryable 1|0,
    /// backoff_ms, dead_ttl_ms, channel, max_attempts cap or ''. Returns 'retrying', 'failed', or nil when not held.
    static let fail = script("fail", """
    if not take(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3]) then return false end
    local max = tonumber(redis.call('HGET', KEYS[1], 'max_attempts')) or 1
    if ARGV[10] ~= '' then max = math.min(max, tonumber(ARGV[10])) end
    local now = now_ms()
    redis.call('HSET', KEYS[1], 'error_code', ARGV[4], 'error_message', ARGV[5])
    if ARGV[6] == '1' and tonumber(ARGV[3]) < max then
      local at = fmt(now + tonumber(ARGV[7]))
      redis.call('HSET', KEYS[1], 'status', 'retrying', 'run_at', at)
      redis.call('ZADD', KEYS[3], at, ARGV[1])
      redis.call('PUBLISH', ARGV[9], ARGV[1] .. ' retrying')
      return 'retrying'
    end
    redis.call('HSET', KEYS[1], 'status', 'failed', 'finished_at', fmt(now))
    redis.call('LPUSH', KEYS[4], ARGV[1])
    redis.call('PEXPIRE', KEYS[1], ARGV[8])
    redis.call('PUBLISH', ARGV[9], ARGV[1] .. ' failed')
    return 'failed'
    """)

    /// KEYS: job, processing, delayed. ARGV: id, worker, attempts, delay_ms, reason, channel. Returns 1 or 0.
    static let postpone = script("postpone", """
    if not take(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3]) then return 0 end
    local at = fmt(now_ms() + tonumber(ARGV[4]))
    redis.call('HSET', KEYS[1], 'status', 'retrying', 'run_at', at, 'attempts', fmt(math.max(0, tonumber(ARGV[3]) - 1)),
      'error_code', 'postponed', 'error_message', ARGV[5])
    redis.call('ZADD', KEYS[3], at, ARGV[1])
    redis.call('PUBLISH', ARGV[6], ARGV[1] .. ' retrying')
    return 1
    """)

    /// KEYS: job, processing, ready. ARGV: id, worker, attempts, channel. Returns 1 or 0.
    static let release = script("release", """
    if not take(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3]) then return 0 end
    redis.call('HSET', KEYS[1], 'status', 'queued', 'attempts', fmt(math.max(0, tonumber(ARGV[3]) - 1)))
    redis.call('RPUSH', KEYS[3], ARGV[1])
    redis.call('PUBLISH', ARGV[4], ARGV[1] .. ' queued')
    return 1
    """)
}
