--- KEYS: job, ready, sequence. ARGV: id, kind, queue, payload, chat_id or '', max_attempts, channel,
--- then optional field/value pairs. Returns 1, or 0 when a job with this id already exists (nothing is written then).
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'kind', ARGV[2], 'queue', ARGV[3], 'status', 'queued',
  'payload', ARGV[4], 'attempts', '0', 'max_attempts', ARGV[6], 'created_at', fmt(now_ms()))
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'chat_id', ARGV[5]) end
for i = 8, #ARGV - 1, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
push_back(KEYS[2], KEYS[3], KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[7], ARGV[1] .. ' queued')
return 1
