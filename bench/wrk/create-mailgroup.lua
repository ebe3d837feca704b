-- Feishu #1, durable create mail group: POST /open-apis/mail/v1/mailgroups, a new address per request.
-- wrk args: RUN_PREFIX DOMAIN:TOKEN [DOMAIN:TOKEN ...]
--   RUN_PREFIX  unique per wrk run (the script passes run id + round), so addresses never collide
--               across runs, rounds or threads: <prefix>-<thread>-<n>@<domain>
--   DOMAIN:TOKEN  one tenant's domain and tenant_access_token; with several, requests go round-robin
--               over the tenants (the pg mode spreads writes over 4 tenants).
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
package.path = here .. "?.lua;" .. package.path
local bench = require("common")

setup = bench.setup
done = bench.done
response = bench.feishu

local prefix, tenants, n = nil, {}, 0

function init(args)
  bench.init()
  prefix = assert(args[1], "create-mailgroup.lua: RUN_PREFIX missing")
  for i = 2, #args do
    local domain, token = args[i]:match("^([^:]+):(.+)$")
    assert(domain, "create-mailgroup.lua: want DOMAIN:TOKEN, got " .. args[i])
    table.insert(tenants, {domain = domain, headers = {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json; charset=utf-8"}})
  end
  assert(#tenants > 0, "create-mailgroup.lua: no DOMAIN:TOKEN")
end

function request()
  n = n + 1
  local t = tenants[(n % #tenants) + 1]
  local email = string.format("%s-%d-%d@%s", prefix, tid, n, t.domain)
  local body = '{"email":"' .. email .. '","name":"Bench group ' .. n ..
      '","description":"bench-vs-peer","who_can_send_mail":"ANYONE"}'
  return wrk.format("POST", "/open-apis/mail/v1/mailgroups", t.headers, body)
end
