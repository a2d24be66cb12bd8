--- The quota scripts' prelude (after `clock.lua`): the quota day, the common ARGV read into
--- locals, and `state` / `projects`, one project's and every project's usage. See ``QuotaScripts``
--- for the common ARGV.
local function split(s)
  local out = {}
  for part in string.gmatch(s, '[^,]+') do out[#out + 1] = part end
  return out
end
-- The quota day at `now`: its label and its end (ms), or nil outside the table.
local function quota_day(now, day_len, bounds, labels)
  if day_len > 0 then
    local index = math.floor(now / day_len)
    return fmt(index), (index + 1) * day_len
  end
  local b, l = split(bounds), split(labels)
  for i = 1, #l do
    if now >= tonumber(b[i]) and now < tonumber(b[i + 1]) then return l[i], tonumber(b[i + 1]) end
  end
  return nil, nil
end
local base = ARGV[1]
local rpm, rpd, ipm = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local window, day_len, margin = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[9])
local now = now_ms()
local label, reset = quota_day(now, day_len, ARGV[7], ARGV[8])
if not label then return redis.error_reply('ERR quota_clock: Redis time is outside the quota day table') end
local since = '(' .. fmt(now - window)
-- One project's usage now; expired window entries are dropped when `prune`.
local function state(name, ids, prune)
  local pk = base .. name .. ':'
  local s = {name = name, pk = pk, enabled = {}}
  if prune then
    redis.call('ZREMRANGEBYSCORE', pk .. 'minute', '-inf', fmt(now - window))
    if ipm > 0 then redis.call('ZREMRANGEBYSCORE', pk .. 'images', '-inf', fmt(now - window)) end
  end
  s.window = redis.call('ZCOUNT', pk .. 'minute', since, '+inf')
  s.images = 0
  if ipm > 0 then s.images = redis.call('ZCOUNT', pk .. 'images', since, '+inf') end
  s.today = tonumber(redis.call('GET', pk .. 'day:' .. label)) or 0
  local ttl = redis.call('PTTL', pk .. 'cooldown')
  s.cool = 0
  if ttl > 0 then s.cool = now + ttl end
  for _, id in ipairs(ids) do
    if redis.call('HEXISTS', base .. 'disabled', id) == 0 then s.enabled[#s.enabled + 1] = id end
  end
  s.headroom = math.min(rpm - s.window, rpd - s.today)
  s.image_room = ipm - s.images
  return s
end
-- Every configured project's state, from ARGV 15 on.
local function projects(prune)
  local list, i = {}, 16
  for _ = 1, tonumber(ARGV[15]) do
    local name, count, ids = ARGV[i], tonumber(ARGV[i + 1]), {}
    for k = 1, count do ids[k] = ARGV[i + 1 + k] end
    i = i + 2 + count
    list[#list + 1] = state(name, ids, prune)
  end
  return list
end
