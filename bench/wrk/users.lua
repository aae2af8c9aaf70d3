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

-- Globals, not locals: done() reads each thread's progress with thread:get().
rank, answered, expected = nil, 0, 0
function init()
  common.seed(thread_id)
  rank = start + thread_id + 1
  if rank <= users then expected = math.floor((users - rank) / threads) + 1 end
end

function request()
  local r
  if mode == "warm" then
    -- Past the last rank (other connections still waiting for their answers): ask for the last user again, a hit.
    r = math.min(rank, users)
    rank = rank + threads
  else
    r = math.random(users)
  end
  return wrk.format("GET", prefix .. common.user_id(r, 40, 2500) .. suffix)
end

if mode == "warm" then
  -- Stop once this thread's share was answered, not merely sent: the last requests are still in flight otherwise.
  function response()
    answered = answered + 1
    if answered >= expected then wrk.thread:stop() end
  end
end

-- warm: BENCH_WARM next=N is where the next chunk starts: BENCH_USERS when every thread got all its answers, else
-- below the slowest thread's next rank by the requests that may still have been in flight (one per connection), so
-- a few ranks are asked twice and none is skipped.
local connections = common.env_number("BENCH_CONNECTIONS", 0)
function done(summary, latency, requests)
  common.done(summary, latency, requests)
  if mode == "warm" then
    local lowest = nil
    for _, thread in ipairs(all_threads) do
      if thread:get("answered") < thread:get("expected") then
        local r = thread:get("rank")
        if lowest == nil or r < lowest then lowest = r end
      end
    end
    local next_start = users
    if lowest ~= nil then next_start = math.max(start, lowest - 1 - connections) end
    io.write(string.format("BENCH_WARM next=%d\n", next_start))
  end
end
