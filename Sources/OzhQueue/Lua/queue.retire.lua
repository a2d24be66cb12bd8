--- KEYS: workers, processing. ARGV: worker. Removes the worker only when it holds nothing; returns 1 or 0.
if redis.call('LLEN', KEYS[2]) > 0 then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
