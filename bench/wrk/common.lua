-- Shared by every shape: reporting, optional pacing, Zipf sampling and ID formatting.
-- Loaded with dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua") so each wrk thread gets its own copy.
local common = {}

function common.env_number(name, default)
  local value = os.getenv(name)
  if value == nil or value == "" then return default end
  return tonumber(value) or error(name .. " must be a number, got '" .. value .. "'")
end

-- Each thread seeds its own generator so threads do not replay the same sequence.
local next_thread_id = 0
function common.setup(thread)
  thread:set("thread_id", next_thread_id)
  next_thread_id = next_thread_id + 1
end

function common.seed(thread_id)
  math.randomseed(common.env_number("BENCH_SEED", 42) + 7919 * (thread_id or 0))
end

-- Zipf(s) over ranks 1..n by inverse CDF (binary search over a precomputed table: n doubles per thread).
function common.zipf(n, s)
  local cdf, total = {}, 0
  for k = 1, n do
    total = total + k ^ -s
    cdf[k] = total
  end
  for k = 1, n do cdf[k] = cdf[k] / total end
  return function()
    local u, lo, hi = math.random(), 1, n
    while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      if cdf[mid] < u then lo = mid + 1 else hi = mid end
    end
    return lo
  end
end

-- Rank r of a population of users: every `sample_every`-th rank is a sample-store user (u00000-u02499, with
-- history), the rest are unknown users (cold start, trending). Sample users are spread over the whole Zipf curve.
function common.user_id(rank, sample_every, sample_users)
  local r = rank - 1
  if sample_every > 0 and r % sample_every == 0 and r / sample_every < sample_users then
    return string.format("u%05d", r / sample_every)
  end
  return string.format("z%06d", r)
end

function common.item_id(index) return string.format("i%05d", index) end

-- Optional pacing for the half-load pass (wrk2 is not in Debian): BENCH_DELAY_MS per connection between
-- requests; a fractional delay is dithered between floor and ceil so the average is right.
local delay_ms = common.env_number("BENCH_DELAY_MS", 0)
if delay_ms > 0 then
  local base = math.floor(delay_ms)
  local fraction = delay_ms - base
  function delay()
    if math.random() < fraction then return base + 1 end
    return base
  end
end

-- One machine-readable line for bench/run.sh; latency in microseconds.
function common.done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "BENCH_RESULT requests=%d seconds=%.3f rps=%.1f p50_us=%.0f p99_us=%.0f p999_us=%.0f max_us=%.0f " ..
    "errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d errors_status=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
end

return common
