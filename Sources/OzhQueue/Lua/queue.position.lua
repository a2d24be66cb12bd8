--- KEYS: job, ready, sequence. Returns how many jobs are ahead of it (0 = next), or -1 when it is not queued.
local h = redis.call('HMGET', KEYS[1], 'status', 'qseq')
if h[1] ~= 'queued' then return -1 end
return position(KEYS[2], KEYS[3], h[2])
