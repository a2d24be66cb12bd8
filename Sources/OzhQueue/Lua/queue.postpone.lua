--- KEYS: job, processing, delayed. ARGV: id, worker, attempts, delay_ms, reason, channel. Returns 1 or 0.
if not take(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3]) then return 0 end
local at = fmt(now_ms() + tonumber(ARGV[4]))
redis.call('HSET', KEYS[1], 'status', 'retrying', 'run_at', at, 'attempts', fmt(math.max(0, tonumber(ARGV[3]) - 1)),
  'error_code', 'postponed', 'error_message', ARGV[5])
redis.call('ZADD', KEYS[3], at, ARGV[1])
redis.call('PUBLISH', ARGV[6], ARGV[1] .. ' retrying')
return 1
