--- KEYS: job. ARGV: progress JSON. Returns 1, or 0 when the job does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'progress', ARGV[1])
return 1
