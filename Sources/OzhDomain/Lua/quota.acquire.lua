--- Takes a slot (or, with dry run, only says whether one is free). Returns
--- `{'granted', project, key id, grant id}`, `{'available', project}` or
--- `{'wait', until_ms, reason, now_ms}`.
local cost, images, dry = tonumber(ARGV[10]), tonumber(ARGV[11]), ARGV[13] == '1'
local list = projects(not dry)
local best, best_room = {}, -1
for _, s in ipairs(list) do
  if #s.enabled > 0 and s.cool == 0 and s.headroom >= cost and (ipm == 0 or s.image_room >= images) then
    if s.headroom > best_room then
      best, best_room = {s}, s.headroom
    elseif s.headroom == best_room then
      best[#best + 1] = s
    end
  end
end
if #best > 0 then
  local s = best[1]
  if dry then return {'available', s.name} end
  -- Ties rotate, so keys of equally free projects share the load.
  if #best > 1 then s = best[(redis.call('INCR', base .. 'rr') % #best) + 1] end
  local turn = redis.call('INCR', s.pk .. 'rr')
  redis.call('PEXPIRE', s.pk .. 'rr', 86400000)
  local key = s.enabled[((turn - 1) % #s.enabled) + 1]
  local grant = label .. '.' .. fmt(cost) .. '.' .. fmt(images) .. '.' .. ARGV[12]
  if cost == 1 then
    redis.call('ZADD', s.pk .. 'minute', fmt(now), grant)
  else
    for c = 1, cost do redis.call('ZADD', s.pk .. 'minute', fmt(now), grant .. '#' .. c) end
  end
  redis.call('PEXPIRE', s.pk .. 'minute', fmt(window + 1000))
  if ipm > 0 and images > 0 then
    for c = 1, images do redis.call('ZADD', s.pk .. 'images', fmt(now), grant .. '#' .. c) end
    redis.call('PEXPIRE', s.pk .. 'images', fmt(window + 1000))
  end
  local day = s.pk .. 'day:' .. label
  redis.call('INCRBY', day, cost)
  redis.call('PEXPIREAT', day, fmt(reset + margin))
  return {'granted', s.name, key, grant}
end
-- Nothing free: the earliest instant any usable project could grant `cost`.
local at, why = nil, nil
for _, s in ipairs(list) do
  if #s.enabled > 0 then
    local t, r = now, 'minute'
    if s.cool > t then t, r = s.cool, 'cooldown' end
    if s.window + cost > rpm then
      local e = redis.call('ZRANGEBYSCORE', s.pk .. 'minute', since, '+inf', 'WITHSCORES', 'LIMIT', s.window + cost - rpm - 1, 1)
      local free = (tonumber(e[2]) or now) + window
      if free > t then t, r = free, 'minute' end
    end
    if ipm > 0 and s.images + images > ipm then
      local e = redis.call('ZRANGEBYSCORE', s.pk .. 'images', since, '+inf', 'WITHSCORES', 'LIMIT', s.images + images - ipm - 1, 1)
      local free = (tonumber(e[2]) or now) + window
      if free > t then t, r = free, 'minute' end
    end
    if s.today + cost > rpd and reset > t then t, r = reset, 'day' end
    if at == nil or t < at then at, why = t, r end
  end
end
if at == nil then return {'wait', fmt(now + tonumber(ARGV[14])), 'all_disabled', fmt(now)} end
return {'wait', fmt(at), why, fmt(now)}
