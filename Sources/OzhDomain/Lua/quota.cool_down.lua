--- Cools a project down after a real 429. ARGV 10: project, 11: 'minute' | 'day',
--- 12: delay ms (minute), 13: value stored (reason). A longer cool-down already set is kept.
--- Returns `{until_ms, now_ms}`.
local key = base .. ARGV[10] .. ':cooldown'
local target = now + tonumber(ARGV[12])
if ARGV[11] == 'day' then target = reset end
if target <= now then target = now + 1 end
local ttl = redis.call('PTTL', key)
if ttl > 0 and now + ttl >= target then return {fmt(now + ttl), fmt(now)} end
redis.call('SET', key, ARGV[13], 'PX', fmt(target - now))
return {fmt(target), fmt(now)}
