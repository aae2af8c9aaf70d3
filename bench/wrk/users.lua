-- Warmed users (shapes "cache hit, N warmed users" and "two silos"): recommend-items, 25 decorated items, for users
-- ranked 1..BENCH_USERS (same IDs as distinct.lua: every 40th a sample-store user with history).
--   BENCH_MODE=warm    each rank once, thread t of BENCH_THREADS taking START+t+1, START+t+1+T, ... then the thread
--                      stops (bench/run.sh runs short chunks until every user was seen, as for the memory shape).
--   BENCH_MODE=random  uniformly random ranks: every request a hit once the users are warm.
-- BENCH_ADDRS (optional): "host:port,host:port": thread t connects to address t mod count, so requests spread over
-- several silos (the URL given to wrk only sets the Host header then). With threads a multiple of the count, each
-- silo takes the same share of connections.
local common = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local users = common.env_number("BENCH_USERS", 10000)
local threads = common.env_number("BENCH_THREADS", 2)
local start = common.env_number("BENCH_START", 0)
local mode = os.getenv("BENCH_MODE") or "random"
local prefix = os.getenv("BENCH_PREFIX") or "/recommend-items/sample-store/recommended-for-you/"
local suffix = os.getenv("BENCH_SUFFIX") or "?numResults=25"
if mode ~= "warm" and mode ~= "random" then error("BENCH_MODE must be warm or random, got '" .. mode .. "'") end

local addrs = {}
for entry in string.gmatch(os.getenv("BENCH_ADDRS") or "", "[^,]+") do
  local host, port = string.match(entry, "^(.+):(%d+)$")
  if host == nil then error("BENCH_ADDRS: expected host:port, got '" .. entry .. "'") end
  local found = wrk.lookup(host, port)
  if found == nil or found[1] == nil then error("BENCH_ADDRS: cannot resolve " .. entry) end
  addrs[#addrs + 1] = found[1]
end

local next_thread, all_threads = 0, {}
function setup(thread)
  all_threads[#all_threads + 1] = thread
  thread:set("thread_id", next_thread)
  if #addrs > 0 then thread.addr = addrs[(next_thread % #addrs) + 1] end
  next_thread = next_thread + 1
end

local rank
function init()
  common.seed(thread_id)
  rank = start + thread_id + 1
end

function request()
  local r
  if mode == "warm" then
    r = rank
    rank = rank + threads
  else
    r = math.random(users)
  end
  return wrk.format("GET", prefix .. common.user_id(r, 40, 2500) .. suffix)
end

if mode == "warm" then
  function response()
    if rank > users then wrk.thread:stop() end
  end
end

-- warm: every rank below the slowest thread's next one is done, except the requests still in flight when the run
-- ended (at most one per connection): BENCH_WARM next=N is where the next chunk starts (a few ranks are asked twice).
local connections = common.env_number("BENCH_CONNECTIONS", 0)
function done(summary, latency, requests)
  common.done(summary, latency, requests)
  if mode == "warm" then
    local lowest = nil
    for _, thread in ipairs(all_threads) do
      local r = thread:get("rank")
      if lowest == nil or r < lowest then lowest = r end
    end
    local next_start = (lowest or 1) - 1
    if next_start < users then next_start = math.max(start, next_start - connections) end
    io.write(string.format("BENCH_WARM next=%d\n", next_start))
  end
end
