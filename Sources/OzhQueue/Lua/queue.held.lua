--- The queue prelude's helpers for a held attempt: `take` (is it still held? then it leaves the
--- processing list) and `succeed`. Sent in front of every queue script (``JobQueueScripts/prelude``).
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
