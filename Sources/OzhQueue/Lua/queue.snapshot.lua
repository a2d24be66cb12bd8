--- KEYS: job. ARGV: prefix. Returns {the snapshot fields' values (nil when absent), position or -1};
--- the ready list's and counters' keys come from the job's own `queue` field. Only the ticket
--- helpers come with it: nothing here may walk the list or read the whole hash.
--- {{snapshot_fields}} is replaced by ``JobQueue/snapshotFields``, each quoted, comma-separated.
local h = redis.call('HMGET', KEYS[1], {{snapshot_fields}})
local ahead = -1
if h[4] == 'queued' and h[3] then
  ahead = position(ARGV[1] .. 'queue:' .. h[3], ARGV[1] .. 'queue_seq:' .. h[3], h[17])
end
return {h, ahead}
