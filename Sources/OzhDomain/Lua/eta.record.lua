--- KEYS: the hash. ARGV: field, sample, weight. The first sample is taken as it is.
local old = tonumber(redis.call('HGET', KEYS[1], ARGV[1]))
local sample = tonumber(ARGV[2])
local value = sample
if old then value = old + tonumber(ARGV[3]) * (sample - old) end
redis.call('HSET', KEYS[1], ARGV[1], string.format('%.1f', value))
redis.call('HINCRBY', KEYS[1], 'samples', 1)
return 1
