-- Shape 2: recommend-items for Zipf-distributed users (BENCH_ZIPF_S over BENCH_USERS ranks), 25 decorated items,
-- the sample config's cache policy (10 s private + 20 s stale-while-revalidate).
local common = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local users = common.env_number("BENCH_USERS", 100000)
local s = common.env_number("BENCH_ZIPF_S", 1.1)
local sample_every = common.env_number("BENCH_SAMPLE_EVERY", 40)
local ns = os.getenv("BENCH_NS") or "sample-store"
local recommender = os.getenv("BENCH_RECOMMENDER") or "recommended-for-you"
local next_rank

setup = common.setup
function init()
  common.seed(thread_id)
  next_rank = common.zipf(users, s)
end

function request()
  local user = common.user_id(next_rank(), sample_every, 2500)
  return wrk.format("GET", "/recommend-items/" .. ns .. "/" .. recommender .. "/" .. user .. "?numResults=25")
end

done = common.done
