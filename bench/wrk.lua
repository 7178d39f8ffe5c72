-- Counts every answer that is not a 200 (wrk itself lets 3xx pass) and prints one JSON line.
-- WRK_BODY set: each request POSTs it, and the answer expected is WRK_OK (the beacon's 204).
local threads = {}
local ok = tonumber(os.getenv("WRK_OK") or "200")
if os.getenv("WRK_BODY") then
  wrk.method = "POST"
  wrk.body = os.getenv("WRK_BODY")
end

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
end

function response(status, headers, body)
  if status ~= ok then
    non200 = non200 + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non200")
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "non200": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, bad, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
