--- The queue prelude's helpers that start attempts: `start_attempt` and `take_next`.
--- Sent in front of every queue script (``JobQueueScripts/prelude``), after `queue.tickets.lua`.
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
