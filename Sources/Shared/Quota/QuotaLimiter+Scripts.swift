/// The limiter's Lua scripts. Each runs atomically in Redis, so any number of workers and
/// concurrent callers can never take more than a project's limits. Times come from Redis'
/// own clock (`TIME`), so machines with skewed clocks agree; the quota day is picked from a
/// table of Los Angeles midnights the caller passes (or from `day_len` in tests).
///
/// Common ARGV (see ``QuotaLimiter/scriptArguments(cost:images:token:dryRun:)``):
/// 1 base (`<prefix>quota:gemini:`), 2 rpm, 3 rpd, 4 ipm (0 = none), 5 window_ms, 6 day_len_ms
/// (0 = calendar days), 7 day bounds (ms, comma-separated), 8 day labels, 9 day-key margin_ms,
/// 10 cost, 11 images, 12 random grant token, 13 dry run 1|0, 14 all-disabled re-check ms,
/// 15 project count, then per project: name, key count, key ids.
/// Keys are derived from `base` (a Redis Cluster would need hash tags).
enum QuotaScripts {
    static let prelude = """
    \(RedisScript.clockHelpers)
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

    """

    static func script(_ name: String, _ body: String) -> RedisScript {
        RedisScript(name: "quota.\(name)", source: prelude + body)
    }

    /// Takes a slot (or, with dry run, only says whether one is free). Returns
    /// `{'granted', project, key id, grant id}`, `{'available', project}` or
    /// `{'wait', until_ms, reason, now_ms}`.
    static let acquire = script("acquire", """
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
    """)

    /// Usage of every project for `status()`. Returns `{now, day label, reset}` and per project
    /// `{name, window, images, today, cool_until or 0, cool reason, enabled key ids...}`.
    static let status = script("status", """
    local out = {{fmt(now), label, fmt(reset)}}
    for _, s in ipairs(projects(false)) do
      local row = {s.name, fmt(s.window), fmt(s.images), fmt(s.today), fmt(s.cool), redis.call('GET', s.pk .. 'cooldown') or ''}
      for _, id in ipairs(s.enabled) do row[#row + 1] = id end
      out[#out + 1] = row
    end
    return out
    """)

    /// Gives back a grant's slots while they are still in the window. ARGV 10: project, 11: grant id.
    /// Returns how many request slots were given back (0 when already released or expired).
    static let release = script("release", """
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
    """)

    /// Cools a project down after a real 429. ARGV 10: project, 11: 'minute' | 'day',
    /// 12: delay ms (minute), 13: value stored (reason). A longer cool-down already set is kept.
    /// Returns `{until_ms, now_ms}`.
    static let coolDown = script("cool_down", """
    local key = base .. ARGV[10] .. ':cooldown'
    local target = now + tonumber(ARGV[12])
    if ARGV[11] == 'day' then target = reset end
    if target <= now then target = now + 1 end
    local ttl = redis.call('PTTL', key)
    if ttl > 0 and now + ttl >= target then return {fmt(now + ttl), fmt(now)} end
    redis.call('SET', key, ARGV[13], 'PX', fmt(target - now))
    return {fmt(target), fmt(now)}
    """)
}
