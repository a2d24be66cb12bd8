--- KEYS: job. ARGV: id, status, attempts, last_status, next_at ms or '', final 1|0, channel. Returns 1, or 0 when not written.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[6] == '0' then
  local status = redis.call('HGET', KEYS[1], 'status')
  if status == 'succeeded' or status == 'failed' then return 0 end
end
redis.call('HSET', KEYS[1], 'cb_status', ARGV[2], 'cb_attempts', ARGV[3], 'cb_last_status', ARGV[4])
if ARGV[5] == '' then redis.call('HDEL', KEYS[1], 'cb_next_at') else redis.call('HSET', KEYS[1], 'cb_next_at', ARGV[5]) end
redis.call('PUBLISH', ARGV[7], ARGV[1] .. ' callback')
return 1
