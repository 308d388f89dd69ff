-- GET a random path from the file BENCH_PATHS (one per line), or the URL's own path.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local paths = {}
local file = os.getenv("BENCH_PATHS")
if file then
   for line in io.lines(file) do
      table.insert(paths, line)
   end
end

-- A logged-in visitor: the session cookie from BENCH_COOKIE.
local cookie = os.getenv("BENCH_COOKIE")
if cookie and #cookie > 0 then
   wrk.headers["Cookie"] = cookie
end

function init(args)
   math.randomseed(os.time() + id)
end

function request()
   if #paths == 0 then
      return wrk.format("GET")
   end
   return wrk.format("GET", paths[math.random(#paths)])
end
