-- GET with the api-key header.   env: BENCH_API_KEY, BENCH_DIR
dofile(os.getenv("BENCH_DIR") .. "/common.lua")
wrk.method = "GET"
wrk.headers["api-key"] = os.getenv("BENCH_API_KEY")
-- BENCH_IF_NONE_MATCH: an ETag to send back (the bot's revalidating poll, answered 304).
local held = os.getenv("BENCH_IF_NONE_MATCH")
if held and held ~= "" then wrk.headers["If-None-Match"] = held end
