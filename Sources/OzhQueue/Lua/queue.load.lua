--- KEYS: ready, delayed, workers. ARGV: dead_after_ms, processing key prefix, job key prefix, sample size.
--- Returns {ready, delayed, busy, live workers, {created_at of up to sample size random delayed jobs}, now ms}.
local live = redis.call('ZRANGEBYSCORE', KEYS[3], fmt(now_ms() - tonumber(ARGV[1])), '+inf')
local busy = 0
for _, w in ipairs(live) do busy = busy + redis.call('LLEN', ARGV[2] .. w) end
local created = {}
for _, id in ipairs(redis.call('ZRANDMEMBER', KEYS[2], tonumber(ARGV[4]))) do
  local c = redis.call('HGET', ARGV[3] .. id, 'created_at')
  if c then created[#created + 1] = c end
end
return {redis.call('LLEN', KEYS[1]), redis.call('ZCARD', KEYS[2]), busy, #live, created, now_ms()}
