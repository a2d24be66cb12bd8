--- KEYS: job, processing, delayed, dead. ARGV: id, worker, attempts, code, message, retryable 1|0,
--- backoff_ms, dead_ttl_ms, channel, max_attempts cap or ''. Returns 'retrying', 'failed', or nil when not held.
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
