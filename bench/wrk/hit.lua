-- Shape 1: one URL, warmed before the run, so every request is a cache hit (25 decorated items).
-- Also used unchanged against bench/Ceiling for the ratio. BENCH_PATH: the URL path and query.
local common = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
wrk.path = os.getenv("BENCH_PATH") or error("BENCH_PATH is required")
setup = common.setup
function init() common.seed(thread_id) end
done = common.done
