--- KEYS: dead, ready, sequence. ARGV: limit, job key prefix, channel. Returns how many went back to the ready list.
local n = 0
for _ = 1, tonumber(ARGV[1]) do
  local id = redis.call('RPOP', KEYS[1])
  if not id then break end
  local job = ARGV[2] .. id
  if redis.call('HGET', job, 'status') == 'failed' then
    redis.call('PERSIST', job)
    redis.call('HSET', job, 'status', 'queued', 'attempts', '0')
    redis.call('HDEL', job, 'finished_at', 'run_at')
    push_back(KEYS[2], KEYS[3], job, id)
    redis.call('PUBLISH', ARGV[3], id .. ' queued')
    n = n + 1
  end
end
return n
