/// Scripts of maintenance (promotion, heartbeats, recovery) and inspection; see ``JobQueueScripts``.
extension JobQueueScripts {
    /// KEYS: delayed, ready, sequence. ARGV: limit, job key prefix, channel. Returns how many became ready.
    /// The due jobs go back oldest first (by `created_at`): jobs postponed for the same quota slot
    /// come due within a few ms of each other in no useful order, and FIFO among them is what
    /// lets `eta_seconds` count the jobs ahead.
    static let promoteDue = script("promote_due", """
    local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', fmt(now_ms()), 'LIMIT', '0', ARGV[1])
    local due = {}
    for _, id in ipairs(ids) do
      redis.call('ZREM', KEYS[1], id)
      local job = ARGV[2] .. id
      local h = redis.call('HMGET', job, 'status', 'created_at')
      if h[1] == 'retrying' then due[#due + 1] = {id, job, tonumber(h[2]) or 0} end
    end
    table.sort(due, function(a, b)
      if a[3] ~= b[3] then return a[3] < b[3] end
      return a[1] < b[1]
    end)
    for _, d in ipairs(due) do
      redis.call('HSET', d[2], 'status', 'queued')
      redis.call('HDEL', d[2], 'run_at')
      push_back(KEYS[2], KEYS[3], d[2], d[1])
      redis.call('PUBLISH', ARGV[3], d[1] .. ' queued')
    end
    return #due
    """)

    /// KEYS: workers. ARGV: worker. Returns the heartbeat (ms).
    static let heartbeat = script("heartbeat", """
    local now = fmt(now_ms())
    redis.call('ZADD', KEYS[1], now, ARGV[1])
    return now
    """)

    /// KEYS: workers, ready, dead, sequence. ARGV: dead_after_ms, processing key prefix, job key prefix, dead_ttl_ms, channel,
    /// recoverer, fresh_ms. Returns {requeued, dead, workers recovered, refused (1 when the recoverer's own
    /// heartbeat is missing or older than fresh_ms: the call itself was delayed, e.g. queued behind a Redis stall),
    /// the ids of the dead ones with a push callback}.
    static let recoverDeadWorkers = script("recover_dead_workers", """
    local now = now_ms()
    local own = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[6]))
    if own == nil or now - own > tonumber(ARGV[7]) then return {0, 0, 0, 1} end
    local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. fmt(now - tonumber(ARGV[1])), 'LIMIT', '0', '100')
    local requeued, dead, pushed = 0, 0, {}
    for _, w in ipairs(stale) do
      local list = ARGV[2] .. w
      -- Newest on the left: RPUSH in this order leaves the oldest next in line.
      for _, id in ipairs(redis.call('LRANGE', list, 0, -1)) do
        local job = ARGV[3] .. id
        local h = redis.call('HMGET', job, 'status', 'worker', 'attempts', 'max_attempts')
        if h[1] == 'queued' then
          push_front(KEYS[2], KEYS[4], job, id)
          requeued = requeued + 1
        elseif h[1] == 'processing' and h[2] == w then
          redis.call('HSET', job, 'error_code', 'worker_lost', 'error_message', 'worker ' .. w .. ' stopped heart-beating')
          if (tonumber(h[3]) or 0) >= (tonumber(h[4]) or 1) then
            redis.call('HSET', job, 'status', 'failed', 'finished_at', fmt(now))
            redis.call('LPUSH', KEYS[3], id)
            redis.call('PEXPIRE', job, ARGV[4])
            redis.call('PUBLISH', ARGV[5], id .. ' failed')
            dead = dead + 1
            if redis.call('HEXISTS', job, 'callback_url') == 1 then pushed[#pushed + 1] = id end
          else
            redis.call('HSET', job, 'status', 'queued')
            push_front(KEYS[2], KEYS[4], job, id)
            redis.call('PUBLISH', ARGV[5], id .. ' queued')
            requeued = requeued + 1
          end
        end
      end
      redis.call('DEL', list)
      redis.call('ZREM', KEYS[1], w)
    end
    return {requeued, dead, #stale, 0, pushed}
    """)

    /// KEYS: workers, processing. ARGV: worker. Removes the worker only when it holds nothing; returns 1 or 0.
    static let retire = script("retire", """
    if redis.call('LLEN', KEYS[2]) > 0 then return 0 end
    redis.call('ZREM', KEYS[1], ARGV[1])
    return 1
    """)

    /// KEYS: processing, ready, sequence. ARGV: job key prefix, worker, channel, then ids the worker holds in Redis but not in
    /// memory (a BLMOVE or mark reply lost to a broken connection). Puts them back at the head of the ready
    /// list (an id marked `processing` keeps its counted attempt) and drops ids of ended jobs. Returns how many.
    static let reclaimOrphans = script("reclaim_orphans", """
    local n = 0
    for i = 4, #ARGV do
      local id = ARGV[i]
      local job = ARGV[1] .. id
      local h = redis.call('HMGET', job, 'status', 'worker')
      if redis.call('LREM', KEYS[1], -1, id) > 0 then
        if h[1] == 'queued' or (h[1] == 'processing' and h[2] == ARGV[2]) then
          redis.call('HSET', job, 'status', 'queued')
          push_front(KEYS[2], KEYS[3], job, id)
          redis.call('PUBLISH', ARGV[3], id .. ' queued')
          n = n + 1
        end
      end
    end
    return n
    """)

    /// KEYS: dead, ready, sequence. ARGV: limit, job key prefix, channel. Returns how many went back to the ready list.
    static let requeueDead = script("requeue_dead", """
    local n = 0
    for _ = 1, tonumber(ARGV[1]) do
      local id = redis.call('RPOP', KEYS[1])
      if not id then break end
      local job = ARGV[2] .. id
      if redis.call('HGET', job, 'status') == 'failed' then
        redis.call('PERSIST', job)
        redis.call('HSET', job, 'status', 'queued', 'attempts', '0')
        redis.call('HDEL', job, 'finished_at', 'run_at')
        push_back(KEYS[2], KEYS[3], job, id)
        redis.call('PUBLISH', ARGV[3], id .. ' queued')
        n = n + 1
      end
    end
    return n
    """)

    /// KEYS: dead. ARGV: limit, job key prefix. Returns how many ids left the dead list (their hashes are deleted).
    static let purgeDead = script("purge_dead", """
    local n = 0
    for _ = 1, tonumber(ARGV[1]) do
      local id = redis.call('RPOP', KEYS[1])
      if not id then break end
      if redis.call('HGET', ARGV[2] .. id, 'status') == 'failed' then redis.call('DEL', ARGV[2] .. id) end
      n = n + 1
    end
    return n
    """)

    /// KEYS: job. ARGV: progress JSON. Returns 1, or 0 when the job does not exist.
    static let setProgress = script("set_progress", """
    if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
    redis.call('HSET', KEYS[1], 'progress', ARGV[1])
    return 1
    """)

    /// KEYS: job, ready, sequence. Returns how many jobs are ahead of it (0 = next), or -1 when it is not queued.
    static let position = RedisScript(name: "queue.position", source: tickets + """
    local h = redis.call('HMGET', KEYS[1], 'status', 'qseq')
    if h[1] ~= 'queued' then return -1 end
    return position(KEYS[2], KEYS[3], h[2])
    """)
}
