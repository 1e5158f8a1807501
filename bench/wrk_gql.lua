-- wrk script used by bench/run.py (run with -t1: one thread).
--
-- Arguments after "--":  LIMIT BODY1 AUTH1 [BODY2 AUTH2 ...] [--paths PATH1 PATH2 ...]
--   LIMIT  stop after this many responses; 0 = run for the whole -d duration.
--   BODYn  a JSON POST body; AUTHn the Authorization header value, or "-".
--   PATHn  (bench/namespaces.py) the paths to send each body to in turn, instead of
--          the URL's: /graphql for the default namespace, /ns/nsK/graphql spread over
--          namespaces, so that both runs take wrk's same (dynamic) path.
-- One request is sent as a static request (wrk's fast path); several are sent
-- in turn on each connection (the soak's login/myProfile/refresh mix).
--
-- Output, parsed by bench/load.py:
--   "WRK-LIMIT-REACHED" as soon as LIMIT responses arrived.  wrk's main thread
--       sleeps for the whole -d whatever the workers do, so run.py answers this
--       line with SIGINT, which ends the sleep and makes wrk report.
--   "WRK-RESULT {json}" from done(): counts, percentiles, errors.

local threads = {}
local limit = 0
local requests = {}
local turn = 0

-- Globals, not locals: done() runs in another Lua state and reads them
-- through thread:get().
responses = 0
gql_errors = 0

function setup(thread)
   table.insert(threads, thread)
end

local function headers_for(auth)
   local headers = { ["Content-Type"] = "application/json" }
   if auth ~= "-" then
      headers["Authorization"] = auth
   end
   return headers
end

function init(args)
   limit = tonumber(args[1])
   local last, paths = #args, { false }
   for i = 2, #args do
      if args[i] == "--paths" then
         -- wrk runs LuaJIT (Lua 5.1): no table.unpack, so copied one by one.
         last, paths = i - 1, {}
         for j = i + 1, #args do
            table.insert(paths, args[j])
         end
         break
      end
   end
   for _, path in ipairs(paths) do
      for i = 2, last, 2 do
         local target = path or nil
         table.insert(requests, wrk.format("POST", target, headers_for(args[i + 1]), args[i]))
      end
   end
   if #requests == 1 and not paths[1] then
      wrk.method = "POST"
      wrk.body = args[2]
      for name, value in pairs(headers_for(args[3])) do
         wrk.headers[name] = value
      end
   else
      -- Defining request() makes wrk ask for every request (dynamic mode).
      request = function()
         turn = turn % #requests + 1
         return requests[turn]
      end
   end
end

function response(status, headers, body)
   responses = responses + 1
   -- A GraphQL failure is an HTTP 200 with an "errors" member: count it, or a
   -- fast error path would pass for a fast server.
   if string.find(body, '"errors"', 1, true) then
      gql_errors = gql_errors + 1
   end
   if limit > 0 and responses == limit then
      io.write("WRK-LIMIT-REACHED\n")
      io.flush()
      wrk.thread:stop()
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
