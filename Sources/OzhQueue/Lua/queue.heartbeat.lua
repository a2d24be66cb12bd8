--- KEYS: workers. ARGV: worker. Returns the heartbeat (ms).
local now = fmt(now_ms())
redis.call('ZADD', KEYS[1], now, ARGV[1])
return now
