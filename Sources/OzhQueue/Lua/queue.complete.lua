--- KEYS: job, processing. ARGV: id, worker, attempts, result, ttl_ms, channel. Returns 1, or 0 when not held.
if not take(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3]) then return 0 end
succeed(KEYS[1], ARGV[1], ARGV[4], ARGV[5], ARGV[6])
return 1
