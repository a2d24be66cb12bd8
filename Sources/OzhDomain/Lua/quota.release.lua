--- Gives back a grant's slots while they are still in the window. ARGV 10: project, 11: grant id.
--- Returns how many request slots were given back (0 when already released or expired).
local pk, grant = base .. ARGV[10] .. ':', ARGV[11]
local day, cost, images = string.match(grant, '^([^.]+)%.(%d+)%.(%d+)%.')
if not day then return 0 end
cost, images = tonumber(cost), tonumber(images)
local removed = 0
if cost == 1 then
  removed = redis.call('ZREM', pk .. 'minute', grant)
else
  for c = 1, cost do removed = removed + redis.call('ZREM', pk .. 'minute', grant .. '#' .. c) end
end
for c = 1, images do redis.call('ZREM', pk .. 'images', grant .. '#' .. c) end
if removed > 0 then
  local used = tonumber(redis.call('GET', pk .. 'day:' .. day)) or 0
  if used > 0 then redis.call('DECRBY', pk .. 'day:' .. day, math.min(used, removed)) end
end
return removed
