-- wrk script for the re-authentication cases of benchmarks/load.sh: every request carries a
-- different Cookie header from a pool file (one header per line, written by LoadServer), so no two
-- requests in flight share a refresh token and the engine's single flight (which coalesces
-- concurrent renewals of ONE refresh token) cannot merge them: each request really re-authenticates.
--
--   wrk -t2 -c32 -d10s -s benchmarks/reauth.lua URL -- POOL_FILE
--
-- Thread k of n starts at line k and steps by n, so the threads walk disjoint lines; with 4096
-- lines and 32 connections a header comes back only after about 4000 other requests.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local path = args[1]
  if path == nil then
    error("usage: wrk ... -s reauth.lua URL -- POOL_FILE")
  end
  pool = {}
  for line in io.lines(path) do
    if #line > 0 then
      pool[#pool + 1] = line
    end
  end
  if #pool == 0 then
    error("empty cookie pool: " .. path)
  end
  -- the number of threads is not passed to init; wrk's -t is handed over as the second argument
  step = tonumber(args[2]) or 1
  next_index = id
end

function request()
  local header = pool[(next_index % #pool) + 1]
  next_index = next_index + step
  wrk.headers["Cookie"] = header
  return wrk.format()
end
