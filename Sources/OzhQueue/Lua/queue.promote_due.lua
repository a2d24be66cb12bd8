--- KEYS: delayed, ready, sequence. ARGV: limit, job key prefix, channel. Returns how many became ready.
--- The due jobs go back oldest first (by `created_at`): jobs postponed for the same quota slot
--- come due within a few ms of each other in no useful order, and FIFO among them is what
--- lets `eta_seconds` count the jobs ahead.
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', fmt(now_ms()), 'LIMIT', '0', ARGV[1])
local due = {}
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  local job = ARGV[2] .. id
  local h = redis.call('HMGET', job, 'status', 'created_at')
  if h[1] == 'retrying' then due[#due + 1] = {id, job, tonumber(h[2]) or 0} end
end
table.sort(due, function(a, b)
  if a[3] ~= b[3] then return a[3] < b[3] end
  return a[1] < b[1]
end)
for _, d in ipairs(due) do
  redis.call('HSET', d[2], 'status', 'queued')
  redis.call('HDEL', d[2], 'run_at')
  push_back(KEYS[2], KEYS[3], d[2], d[1])
  redis.call('PUBLISH', ARGV[3], d[1] .. ' queued')
end
return #due
