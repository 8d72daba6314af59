-- wrk script for benchmarks/wrk.py: POST form bodies in rotation, then a JSON summary.
--
--   wrk -s rotate.lua http://127.0.0.1:PORT -- BODIES PATH THREADS START
--
-- BODIES is a file with one application/x-www-form-urlencoded body per line (query=...);
-- every connection of a thread takes the next one in turn, each thread from its own offset,
-- the first thread from body START (0-based): the slices of one cell start at different
-- bodies, so that the partial rotation at each slice's end does not favour the first ones.
-- done() prints one line "WRK-JSON {...}": the totals and the latency histogram (microseconds,
-- [value, count] pairs), so that slices can be merged exactly and no text output is parsed.

local index = 0

function setup(thread)
   index = index + 1
   thread:set("thread_index", index)
end

function init(args)
   local path, threads, start = args[2], tonumber(args[3]) or 1, tonumber(args[4]) or 0
   local headers = {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Accept"] = "application/sparql-results+json",
   }
   requests = {}
   for line in io.lines(args[1]) do
      if #line > 0 then
         requests[#requests + 1] = wrk.format("POST", path, headers, line)
      end
   end
   next_one = start + math.floor((thread_index - 1) * #requests / threads)
   -- wrk calls the first thread's request() once, unsent, to check what it returns.
   if thread_index == 1 then next_one = next_one - 1 end
   next_one = next_one % #requests
end

function request()
   next_one = next_one % #requests + 1
   return requests[next_one]
end

function done(summary, latency, _)
   local pairs_ = {}
   for k = 1, #latency do
      local value, count = latency(k)
      pairs_[#pairs_ + 1] = string.format("[%d,%d]", value, count)
   end
   local e = summary.errors
   io.write(string.format(
      'WRK-JSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors":{"connect":%d,' ..
      '"read":%d,"write":%d,"status":%d,"timeout":%d},"histogram":[%s]}\n',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
      e.status, e.timeout, table.concat(pairs_, ",")))
end
