-- POST /api/v1/orders: each request a different buyer's token and a random product.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local function read(name)
   local values = {}
   for line in io.lines(os.getenv(name)) do
      table.insert(values, line)
   end
   return values
end

local tokens, products, points = read("BENCH_TOKENS"), read("BENCH_PRODUCTS"), read("BENCH_POINTS")
local next_token, step = 1, 1
statuses = {}

function init(args)
   -- Threads take interleaved tokens, so no two requests share a buyer.
   next_token, step = id + 1, tonumber(os.getenv("BENCH_THREADS") or "2")
   math.randomseed(os.time() + id)
end

function request()
   local token = tokens[(next_token - 1) % #tokens + 1]
   next_token = next_token + step
   local body = string.format(
      '{"lines": [{"product_id": %s, "quantity": 1}], "pickup_station_id": %s, ' ..
      '"payment_method": "cash_at_pickup"}',
      products[math.random(#products)], points[math.random(#points)])
   return wrk.format("POST", nil, {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json",
   }, body)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end
