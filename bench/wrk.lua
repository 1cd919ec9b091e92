-- wrk script for the benchmark (bench/run.py).
-- Requests cycle through the paths given after "--"; at the end one line of
-- JSON carries the figures the driver records.

local paths = {}
local next_path = 0

function init(args)
  for i, path in ipairs(args) do
    paths[i] = path
  end
end

function request()
  if #paths == 0 then
    return wrk.format("GET")
  end
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_us": {"p50": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean
  ))
end
