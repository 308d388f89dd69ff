-- Shared by the bench scripts: print one JSON line with throughput, percentiles and statuses.
threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function done(summary, latency, requests)
   local statuses = {}
   for _, thread in ipairs(threads) do
      local counts = thread:get("statuses")
      if counts then
         for code, n in pairs(counts) do
            statuses[tostring(code)] = (statuses[tostring(code)] or 0) + n
         end
      end
   end
   local parts = {}
   for code, n in pairs(statuses) do
      table.insert(parts, string.format('"%s": %d', code, n))
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, ' ..
      '"non_2xx": %d, "socket_errors": %d, "statuses": {%s}}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
      e.status, e.connect + e.read + e.write + e.timeout, table.concat(parts, ", ")))
end
