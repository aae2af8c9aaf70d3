-- Memory: users BENCH_START+1..BENCH_USERS each ask once (recommend-items, 25 decorated items), then the thread
-- stops. Thread t of BENCH_THREADS takes ranks START+t+1, START+t+1+T, ... wrk still waits out its -d, so
-- bench/run.sh runs short chunks, continuing from the requests done so far, until every user was seen.
local common = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local users = common.env_number("BENCH_USERS", 100000)
local threads = common.env_number("BENCH_THREADS", 2)
local prefix = os.getenv("BENCH_PREFIX") or "/recommend-items/sample-store/recommended-for-you/"
local suffix = os.getenv("BENCH_SUFFIX") or "?numResults=25"
local start = common.env_number("BENCH_START", 0)
local rank

setup = common.setup
function init() rank = start + thread_id + 1 end

function request()
  local user = common.user_id(rank, 40, 2500)
  rank = rank + threads
  return wrk.format("GET", prefix .. user .. suffix)
end

function response()
  if rank > users then wrk.thread:stop() end
end

done = common.done
