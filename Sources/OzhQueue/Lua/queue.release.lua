--- KEYS: job, processing, ready, sequence. ARGV: id, worker, attempts, channel. Returns 1 or 0.
if not take(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], 'status', 'queued', 'attempts', fmt(math.max(0, tonumber(ARGV[3]) - 1)))
push_front(KEYS[3], KEYS[4], KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[4], ARGV[1] .. ' queued')
return 1
