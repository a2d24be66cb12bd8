--- The `complete` script followed by `take` (the same prelude functions, so the same guards).
--- KEYS: job, processing, next ready, next processing, next sequence. ARGV: id, worker, attempts, result, ttl_ms,
--- channel, next job key prefix, take 1|0. Returns {0} when not held (nothing taken), {1} when completed, and
--- with take 1 {1, false | 'stray' | {id, hash}}.
if not take(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3]) then return {0} end
succeed(KEYS[1], ARGV[1], ARGV[4], ARGV[5], ARGV[6])
if ARGV[8] ~= '1' then return {1} end
return {1, take_next(KEYS[3], KEYS[4], KEYS[5], ARGV[7], ARGV[2], ARGV[6])}
