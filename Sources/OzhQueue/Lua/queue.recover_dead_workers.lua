--- KEYS: workers, ready, dead, sequence. ARGV: dead_after_ms, processing key prefix, job key prefix, dead_ttl_ms, channel,
--- recoverer, fresh_ms. Returns {requeued, dead, workers recovered, refused (1 when the recoverer's own
--- heartbeat is missing or older than fresh_ms: the call itself was delayed, e.g. queued behind a Redis stall),
--- the ids of the dead ones with a push callback}.
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
