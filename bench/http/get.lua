-- GET with the api-key header.   env: BENCH_API_KEY, BENCH_DIR
dofile(os.getenv("BENCH_DIR") .. "/common.lua")
wrk.method = "GET"
wrk.headers["api-key"] = os.getenv("BENCH_API_KEY")
