-- wrk script for the load test (bench/loadtest.py).
-- Requests cycle through the paths given after "--", each thread from its own
-- place in the list. Every answer is sorted: 5xx answers are counted, and of
-- those, the portal's own Vietnamese 503 page (a database outage) separately
-- from anything else (a crash). One line of JSON at the end carries it all.

local threads = {}
local paths = {}
local next_path = 0

function setup(thread)
  thread:set("offset", #threads * 7)
  table.insert(threads, thread)
end

function init(args)
  for i, path in ipairs(args) do
    paths[i] = path
  end
  next_path = offset or 0
  server_errors = 0
  outage_pages = 0
  client_errors = 0
  odd_answer = ""
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

function response(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
    if status == 503 and body and string.find(body, "tạm thời gián đoạn", 1, true) then
      outage_pages = outage_pages + 1
    elseif odd_answer == "" then
      -- The first 5xx that is not the outage page, to say what it was.
      odd_answer = status .. " " .. string.sub(body or "", 1, 200)
    end
  elseif status >= 400 then
    client_errors = client_errors + 1
  end
end

function done(summary, latency, requests)
  local s5, s503, s4, odd = 0, 0, 0, ""
  for _, thread in ipairs(threads) do
    s5 = s5 + thread:get("server_errors")
    s503 = s503 + thread:get("outage_pages")
    s4 = s4 + thread:get("client_errors")
    if odd == "" then odd = thread:get("odd_answer") end
  end
  local e = summary.errors
  if odd ~= "" then
    io.write("odd 5xx: " .. string.gsub(odd, "\n", " ") .. "\n")
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "server_errors": %d, "outage_pages": %d, '
      .. '"client_errors": %d, '
      .. '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
      .. '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, s5, s503, s4,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max
  ))
end
