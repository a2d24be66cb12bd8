--- Returns `{now, reset}` and per project `{name, usable 1|0, today, cool_until or 0, window grant times...}`.
local out = {{fmt(now), fmt(reset)}}
for _, s in ipairs(projects(false)) do
  local usable = '0'
  if #s.enabled > 0 then usable = '1' end
  local row = {s.name, usable, fmt(s.today), fmt(s.cool)}
  local held = redis.call('ZRANGEBYSCORE', s.pk .. 'minute', since, '+inf', 'WITHSCORES')
  for i = 2, #held, 2 do row[#row + 1] = held[i] end
  out[#out + 1] = row
end
return out
