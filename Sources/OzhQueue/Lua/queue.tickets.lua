--- Queue positions without scanning (see ``JobQueue/snapshot(id:)``). Every id entering a
--- ready list gets a ticket in its hash (`qseq`): the back (LPUSH) takes ++back, the front
--- (RPUSH) takes front and then front--; a take sets front to the ticket it took, so the list
--- holds tickets front+1 … back in order and s − front − 1 jobs are ahead of ticket s.
--- Sent in front of every queue script and of `queue.snapshot` and `queue.position`.
local function push_back(ready, seq, job, id)
  redis.call('HSET', job, 'qseq', redis.call('HINCRBY', seq, 'back', 1))
  redis.call('LPUSH', ready, id)
end
local function push_front(ready, seq, job, id)
  redis.call('HSET', job, 'qseq', redis.call('HINCRBY', seq, 'front', -1) + 1)
  redis.call('RPUSH', ready, id)
end
local function taken(seq, ticket)
  if ticket then redis.call('HSET', seq, 'front', ticket) end
end
-- How many jobs are ahead of ticket `ticket` in `ready` (0 = next), clamped to 0 .. LLEN - 1;
-- -1 when the list is empty or the job has no ticket (enqueued before tickets existed).
local function position(ready, seq, ticket)
  if not ticket then return -1 end
  local n = redis.call('LLEN', ready)
  if n == 0 then return -1 end
  local ahead = tonumber(ticket) - (tonumber(redis.call('HGET', seq, 'front')) or 0) - 1
  if ahead < 0 then return 0 end
  if ahead >= n then return n - 1 end
  return ahead
end
