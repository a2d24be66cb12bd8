--- Helpers shared by the project's scripts (put in front of them): `now_ms()` reads Redis'
--- own clock (so machines with skewed clocks agree) and `fmt(n)` writes an integer without exponent.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function fmt(n) return string.format('%d', n) end
