-- POST /generate with a small drawing, cycling over BENCH_USERS chat ids from BENCH_FIRST_CHAT.
-- env: BENCH_API_KEY, BENCH_DIR, BENCH_IMAGE (path), BENCH_USERS, BENCH_FIRST_CHAT
dofile(os.getenv("BENCH_DIR") .. "/common.lua")
local key = os.getenv("BENCH_API_KEY")
local users = tonumber(os.getenv("BENCH_USERS"))
local first = tonumber(os.getenv("BENCH_FIRST_CHAT"))
local f = assert(io.open(os.getenv("BENCH_IMAGE"), "rb"))
local image = f:read("*a")
f:close()
local boundary = "----ozhbench7d2f1a"
local counter = 0

function request()
  counter = counter + 1
  local chat = first + ((counter * 4 + thread_id) % users)
  local body = "--" .. boundary .. "\r\n" ..
    "Content-Disposition: form-data; name=\"chat_id\"\r\n\r\n" .. chat .. "\r\n" ..
    "--" .. boundary .. "\r\n" ..
    "Content-Disposition: form-data; name=\"image\"; filename=\"drawing.png\"\r\n" ..
    "Content-Type: image/png\r\n\r\n" .. image .. "\r\n" ..
    "--" .. boundary .. "--\r\n"
  return wrk.format("POST", "/generate", {
    ["api-key"] = key,
    ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
  }, body)
end
