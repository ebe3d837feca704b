-- Shared by the bench-vs-peer wrk scripts (scripts/bench-vs-peer.sh): counts the answers that are
-- not a success and prints one machine-readable line in done().
--
-- wrk runs setup() and done() in the main Lua state and init()/request()/response() in one Lua state
-- per thread; each thread's counters are globals of its state, read back with thread:get().
local M = {}
local threads = {}

function M.setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

-- Per-thread state (call from init()).
function M.init()
  bad = 0        -- answers that were not a success
  sample = nil   -- the first of them, for the log
  math.randomseed(os.time() * 1000 + tid * 7919)
  for _ = 1, 10 do math.random() end
end

local function note(status, body)
  bad = bad + 1
  if sample == nil then
    sample = tostring(status) .. " " .. string.sub(body or "", 1, 300):gsub("[\r\n]", " ")
  end
end

-- A Feishu call succeeded: a 2xx status and a JSON body whose "code" is 0. Mailroom writes the
-- envelope compactly, {"code":0,"msg":"success",...}, and so do the stubs under bench/peer/.
function M.feishu(status, headers, body)
  if status < 200 or status > 299 or not string.find(body, '"code":0[,}]') then note(status, body) end
end

-- Anything else (Hybridbox, /healthz): a 2xx status and, when given, a fragment the body must hold.
function M.plain(fragment)
  return function(status, headers, body)
    if status < 200 or status > 299 or (fragment and not string.find(body, fragment, 1, true)) then
      note(status, body)
    end
  end
end

-- One line the script parses, then the first non-success answer if there was one.
function M.done(summary, latency, requests)
  local nonsuccess, first = 0, nil
  for _, thread in ipairs(threads) do
    nonsuccess = nonsuccess + (thread:get("bad") or 0)
    first = first or thread:get("sample")
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "@@ requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f nonsuccess=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, nonsuccess, e.connect, e.read, e.write, e.timeout))
  if first then io.write("@@ first-non-success: " .. first .. "\n") end
end

return M
