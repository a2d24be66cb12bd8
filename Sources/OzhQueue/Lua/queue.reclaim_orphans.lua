--- KEYS: processing, ready, sequence. ARGV: job key prefix, worker, channel, then ids the worker holds in Redis but not in
--- memory (a BLMOVE or mark reply lost to a broken connection). Puts them back at the head of the ready
--- list (an id marked `processing` keeps its counted attempt) and drops ids of ended jobs. Returns how many.
local n = 0
for i = 4, #ARGV do
  local id = ARGV[i]
  local job = ARGV[1] .. id
  local h = redis.call('HMGET', job, 'status', 'worker')
  if redis.call('LREM', KEYS[1], -1, id) > 0 then
    if h[1] == 'queued' or (h[1] == 'processing' and h[2] == ARGV[2]) then
      redis.call('HSET', job, 'status', 'queued')
      push_front(KEYS[2], KEYS[3], job, id)
      redis.call('PUBLISH', ARGV[3], id .. ' queued')
      n = n + 1
    end
  end
end
return n
