-- wrk script used by bench/namespaces.py (run with -t1: one thread).
--
-- Arguments after "--":  BODY PATH1 [PATH2 ...]
--   BODY   the JSON POST body of every request
--   PATHn  the paths to POST it to, in turn on each connection: /graphql a hundred
--          times for the default namespace, /ns/nsK/graphql for K = 0..99 spread
--          over namespaces, so both runs take wrk's same (dynamic) path.
--
-- Output, parsed by bench/load.py: "WRK-RESULT {json}", as bench/wrk_gql.lua's.

local threads = {}
local requests = {}
local turn = 0

responses = 0
gql_errors = 0

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   local headers = { ["Content-Type"] = "application/json" }
   for i = 2, #args do
      table.insert(requests, wrk.format("POST", args[i], headers, args[1]))
   end
end

function request()
   turn = turn % #requests + 1
   return requests[turn]
end

function response(status, headers, body)
   responses = responses + 1
   if string.find(body, '"errors"', 1, true) then
      gql_errors = gql_errors + 1
   end
end

function done(summary, latency, reqs)
   local graphql = 0
   for _, thread in ipairs(threads) do
      graphql = graphql + (thread:get("gql_errors") or 0)
   end
   local e = summary.errors
   io.write(string.format(
      'WRK-RESULT {"requests": %d, "duration_us": %d, "p50_us": %.1f, "p99_us": %.1f, '
         .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, '
         .. '"status_errors": %d, "graphql_errors": %d}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      e.connect, e.read, e.write, e.timeout, e.status, graphql))
   io.flush()
end
