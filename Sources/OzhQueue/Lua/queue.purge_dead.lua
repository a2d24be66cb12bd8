--- KEYS: dead. ARGV: limit, job key prefix. Returns how many ids left the dead list (their hashes are deleted).
local n = 0
for _ = 1, tonumber(ARGV[1]) do
  local id = redis.call('RPOP', KEYS[1])
  if not id then break end
  if redis.call('HGET', ARGV[2] .. id, 'status') == 'failed' then redis.call('DEL', ARGV[2] .. id) end
  n = n + 1
end
return n
