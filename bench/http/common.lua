-- Shared by the wrk scripts: numbers the threads and prints "status <code> <count>" lines at
-- the end (wrk's own "Non-2xx" line lumps 4xx and 5xx together).
local threads = {}
statuses = {}
thread_id = 0

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for code, count in pairs(t:get("statuses") or {}) do total[code] = (total[code] or 0) + count end
  end
  for code, count in pairs(total) do io.write(string.format("status %d %d\n", code, count)) end
  io.write(string.format("latency_p50_ms %.2f\nlatency_p99_ms %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
