-- wrk scenario for Jaan Connect: a realistic mix of signed-in users.
-- Reads users.txt (one "id token" per line, written by run.sh). Mix per request:
--   45 % profile reads (GET /api/v1/me, GET /api/v1/users/:id)
--   30 % connection reads (GET /api/v1/connections)
--   15 % message reads (GET /api/v1/messages?with=)
--   ~10 % message writes (POST /api/v1/messages)
--   a few logins (POST /api/v1/sessions): LOGIN_PER_MILLE per thousand (default 1)
local users = {}
local login_per_mille = tonumber(os.getenv("LOGIN_PER_MILLE") or "1")
local seed_password = os.getenv("SEED_PASSWORD") or "jaan-seed-password"

local function load_users()
   for line in io.lines(os.getenv("USERS_FILE") or "users.txt") do
      local id, token, email = line:match("^(%d+) (%S+) (%S+)$")
      if id then users[#users + 1] = { id = tonumber(id), token = token, email = email } end
   end
end

function setup(thread)
   thread:set("seed", math.random(1, 1000000))
end

function init(args)
   load_users()
   math.randomseed(seed or os.time())
end

local function pick() return users[math.random(1, #users)] end

function request()
   local user = pick()
   local auth = { ["Authorization"] = "Bearer " .. user.token }
   local roll = math.random(1, 1000)
   if roll <= login_per_mille then
      return wrk.format("POST", "/api/v1/sessions", { ["Content-Type"] = "application/json" },
         '{"email":"' .. user.email .. '","password":"' .. seed_password .. '"}')
   elseif roll <= 250 then
      return wrk.format("GET", "/api/v1/me", auth)
   elseif roll <= 450 then
      return wrk.format("GET", "/api/v1/users/" .. pick().id, auth)
   elseif roll <= 750 then
      return wrk.format("GET", "/api/v1/connections?status=accepted", auth)
   elseif roll <= 900 then
      -- Seeded users are connected to the next few ids.
      return wrk.format("GET", "/api/v1/messages?with=" .. (user.id + 1) .. "&limit=20", auth)
   else
      auth["Content-Type"] = "application/json"
      return wrk.format("POST", "/api/v1/messages", auth,
         '{"recipient_id":' .. (user.id + 1) .. ',"body":"load test message"}')
   end
end

function done(summary, latency, requests)
   local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
   io.write(string.format(
      "RESULT requests=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d non2xx=%d timeouts=%d\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, errors, summary.errors.status, summary.errors.timeout))
end
