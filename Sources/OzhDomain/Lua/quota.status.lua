--- Usage of every project for `status()`. Returns `{now, day label, reset}` and per project
--- `{name, window, images, today, cool_until or 0, cool reason, enabled key ids...}`.
local out = {{fmt(now), label, fmt(reset)}}
for _, s in ipairs(projects(false)) do
  local row = {s.name, fmt(s.window), fmt(s.images), fmt(s.today), fmt(s.cool), redis.call('GET', s.pk .. 'cooldown') or ''}
  for _, id in ipairs(s.enabled) do row[#row + 1] = id end
  out[#out + 1] = row
end
return out
