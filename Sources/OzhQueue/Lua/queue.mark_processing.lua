--- Runs right after BLMOVE put the id into the worker's processing list.
--- KEYS: job, processing, sequence. ARGV: id, worker, channel. Returns the hash, or nil for a stray id (dropped).
-- Reclaimed meanwhile (see reclaim_orphans): not ours any more.
if not redis.call('LPOS', KEYS[2], ARGV[1]) then return false end
local h = redis.call('HMGET', KEYS[1], 'status', 'qseq')
if h[1] ~= 'queued' then
  redis.call('LREM', KEYS[2], 1, ARGV[1])
  return false
end
taken(KEYS[3], h[2])
return start_attempt(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
