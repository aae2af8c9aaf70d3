-- Concurrent misses: each thread asks for a new user every BENCH_SAME_KEY requests, so the connections of a thread
-- miss on the same key at the same time. With single flight the backend is called once per key.
local common = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local per_key = common.env_number("BENCH_SAME_KEY", 32)
local counter = 0

setup = common.setup
function init() common.seed(thread_id) end

function request()
  local key = math.floor(counter / per_key)
  counter = counter + 1
  return wrk.format("GET", string.format("/recommend-items/sample-store/recommended-for-you/c%d-%07d?numResults=25", thread_id, key))
end

done = common.done
