--- SET NX semantics with the stored value returned: nil when the key was free (now taken).
local current = redis.call('GET', KEYS[1])
if current then return current end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false
