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
    -- Ends a held attempt as succeeded with `result`, expiring the hash after `ttl` ms.
    local function succeed(job, id, result, ttl, channel)
      redis.call('HSET', job, 'status', 'succeeded', 'result', result, 'finished_at', fmt(now_ms()))
      redis.call('HDEL', job, 'error_code', 'error_message', 'run_at')
      redis.call('PEXPIRE', job, ttl)
      redis.call('PUBLISH', channel, id .. ' succeeded')
    end
    \(tickets)
    -- Starts an attempt of a job just moved into `worker`'s processing list; returns its hash.
    local function start_attempt(job, id, worker, channel)
      redis.call('HSET', job, 'status', 'processing', 'worker', worker, 'started_at', fmt(now_ms()))
      redis.call('HINCRBY', job, 'attempts', 1)
      redis.call('HDEL', job, 'run_at')
      redis.call('PUBLISH', channel, id .. ' processing')
      return redis.call('HGETALL', job)
    end
    -- Moves the oldest ready id into `processing` and starts its attempt, dropping up to 16 stray
    -- ids (no longer `queued`) on the way. Returns false when the list is empty, 'stray' when only
    -- strays came, or {id, hash}.
    local function take_next(ready, processing, seq, prefix, worker, channel)
      for _ = 1, 16 do
        local id = redis.call('LMOVE', ready, processing, 'RIGHT', 'LEFT')
        if not id then return false end
        local job = prefix .. id
        local h = redis.call('HMGET', job, 'status', 'qseq')
        if h[1] == 'queued' then
          taken(seq, h[2])
          return {id, start_attempt(job, id, worker, channel)}
        end
        redis.call('LREM', processing, 1, id)
      end
      return 'stray'
    end

    """

    /// Queue positions without scanning (see ``JobQueue/snapshot(id:)``). Every id entering a
    /// ready list gets a ticket in its hash (`qseq`): the back (LPUSH) takes ++back, the front
    /// (RPUSH) takes front and then front--; a take sets front to the ticket it took, so the list
    /// holds tickets front+1 … back in order and s − front − 1 jobs are ahead of ticket s.
    static let tickets = """
    local function push_back(ready, seq, job, id)
      redis.call('HSET', job, 'qseq', redis.call('HINCRBY', seq, 'back', 1))
      redis.call('LPUSH', ready, id)
    end
    local function push_front(ready, seq, job, id)
      redis.call('HSET', job, 'qseq', redis.call('HINCRBY', seq, 'front', -1) + 1)
      redis.call('RPUSH', ready, id)
    end
    local function taken(seq, ticket)
      if ticket then redis.call('HSET', seq, 'front', ticket) end
    end
    -- How many jobs are ahead of ticket `ticket` in `ready` (0 = next), clamped to 0 .. LLEN - 1;
    -- -1 when the list is empty or the job has no ticket (enqueued before tickets existed).
    local function position(ready, seq, ticket)
      if not ticket then return -1 end
      local n = redis.call('LLEN', ready)
      if n == 0 then return -1 end
      local ahead = tonumber(ticket) - (tonumber(redis.call('HGET', seq, 'front')) or 0) - 1
      if ahead < 0 then return 0 end
      if ahead >= n then return n - 1 end
      return ahead
    end

    """

    static func script(_ name: String, _ body: String) -> RedisScript {
        RedisScript(name: "queue.\(name)", source: prelude + body)
    }

    /// KEYS: job, ready, sequence. ARGV: id, kind, queue, payload, chat_id or '', max_attempts, channel,
    /// then optional field/value pairs. Returns 1, or 0 when a job with this id already exists (nothing is written then).
    static let enqueue = script("enqueue", """
    if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
    redis.call('HSET', KEYS[1], 'id', ARGV[1], 'kind', ARGV[2], 'queue', ARGV[3], 'status', 'queued',
      'payload', ARGV[4], 'attempts', '0', 'max_attempts', ARGV[6], 'created_at', fmt(now_ms()))
    if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'chat_id', ARGV[5]) end
    for i = 8, #ARGV - 1, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
    push_back(KEYS[2], KEYS[3], KEYS[1], ARGV[1])
    redis.call('PUBLISH', ARGV[7], ARGV[1] .. ' queued')
    return 1
    """)

    /// Runs right after BLMOVE put the id into the worker's processing list.
    /// KEYS: job, processing, sequence. ARGV: id, worker, channel. Returns the hash, or nil for a stray id (dropped).
    static let markProcessing = script("mark_processing", """
    -- Reclaimed meanwhile (see reclaim_orphans): not ours any more.
    if not redis.call('LPOS', KEYS[2], ARGV[1]) then return false end
    local h = redis.call('HMGET', KEYS[1], 'status', 'qseq')
    if h[1] ~= 'queued' then
      redis.call('LREM', KEYS[2], 1, ARGV[1])
      return false
    end
    taken(KEYS[3], h[2])
    return start_attempt(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
    """)

    /// KEYS: job, processing. ARGV: id, worker, attempts, result, ttl_ms, channel. Returns 1, or 0 when not held.
    static let complete = script("complete", """
    if not take(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3]) then return 0 end
    succeed(KEYS[1], ARGV[1], ARGV[4], ARGV[5], ARGV[6])
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

    /// KEYS: job, processing, ready, sequence. ARGV: id, worker, attempts, channel. Returns 1 or 0.
    static let release = script("release", """
    if not take(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3]) then return 0 end
    redis.call('HSET', KEYS[1], 'status', 'queued', 'attempts', fmt(math.max(0, tonumber(ARGV[3]) - 1)))
    push_front(KEYS[3], KEYS[4], KEYS[1], ARGV[1])
    redis.call('PUBLISH', ARGV[4], ARGV[1] .. ' queued')
    return 1
    """)
}
