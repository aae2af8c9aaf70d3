-- Events throughput: POST /events/{ns} (PutEvents body without trackingId), BENCH_EVENTS_PER_REQUEST events each.
local common = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local users = common.env_number("BENCH_USERS", 100000)
local per_request = common.env_number("BENCH_EVENTS_PER_REQUEST", 1)
local json_headers = { ["Content-Type"] = "application/json" }
local event_types = { "view", "view", "view", "click", "purchase" }
local counter = 0

setup = common.setup
function init() common.seed(thread_id) end

function request()
  counter = counter + 1
  local user = common.user_id(math.random(users), 40, 2500)
  local list = {}
  for i = 1, per_request do
    list[i] = string.format('{"eventType":"%s","itemId":"%s","sentAt":%d}',
      event_types[math.random(#event_types)], common.item_id(math.random(0, 9999)), os.time())
  end
  local body = string.format('{"sessionId":"s-%d-%d","userId":"%s","eventList":[%s]}',
    thread_id, counter % 1000, user, table.concat(list, ","))
  return wrk.format("POST", "/events/" .. (os.getenv("BENCH_NS") or "sample-store"), json_headers, body)
end

done = common.done
