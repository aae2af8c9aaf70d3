-- Shape 3: a mix of recommend / related / rerank (GET and POST) / events. Users and items are Zipf-distributed.
-- BENCH_EVENTS=0 leaves events out (endpoint unavailable); its share goes to recommend.
local common = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local users = common.env_number("BENCH_USERS", 100000)
local s = common.env_number("BENCH_ZIPF_S", 1.1)
local sample_every = common.env_number("BENCH_SAMPLE_EVERY", 40)
local events = common.env_number("BENCH_EVENTS", 1) == 1
local json_headers = { ["Content-Type"] = "application/json" }
local event_types = { "view", "view", "view", "click", "purchase" }
local next_user, next_item

setup = common.setup
function init()
  common.seed(thread_id)
  next_user = common.zipf(users, s)
  next_item = common.zipf(10000, s)
end

local function user() return common.user_id(next_user(), sample_every, 2500) end
local function item() return common.item_id(next_item() - 1) end

local function items(count)
  local list = {}
  for i = 1, count do list[i] = item() end
  return list
end

function request()
  local roll = math.random(100)
  if roll <= 45 or (not events and roll <= 60) then
    return wrk.format("GET", "/recommend-items/sample-store/recommended-for-you/" .. user() .. "?numResults=25")
  elseif roll <= 50 or (not events and roll <= 65) then
    return wrk.format("GET", "/recommend-items/sample-store/trending/" .. user() .. "?numResults=10")
  elseif roll <= 70 or (not events and roll <= 85) then
    return wrk.format("GET", "/related-items/sample-store/similar-items/" .. item() .. "?numResults=10")
  elseif roll <= 78 or (not events and roll <= 93) then
    return wrk.format("GET", "/rerank-items/sample-store/personalized-ranking/" .. user() .. "/" .. table.concat(items(10), ","))
  elseif roll <= 85 or not events then
    return wrk.format("POST", "/rerank-items/sample-store/personalized-ranking/" .. user(), json_headers,
      '["' .. table.concat(items(20), '","') .. '"]')
  end
  local body = string.format(
    '{"sessionId":"s-%s","userId":"%s","eventList":[{"eventType":"%s","itemId":"%s","sentAt":%d}]}',
    thread_id, user(), event_types[math.random(#event_types)], item(), os.time())
  return wrk.format("POST", "/events/sample-store", json_headers, body)
end

done = common.done
