-- Feishu #2, get mail group by address: GET /open-apis/mail/v1/mailgroups/{email} of a group the
-- script created beforehand (the same request every time).
-- wrk args: TOKEN EMAIL
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
package.path = here .. "?.lua;" .. package.path
local bench = require("common")

setup = bench.setup
done = bench.done
response = bench.feishu

function init(args)
  bench.init()
  local token = assert(args[1], "get-mailgroup.lua: TOKEN missing")
  local email = assert(args[2], "get-mailgroup.lua: EMAIL missing")
  wrk.method = "GET"
  wrk.path = "/open-apis/mail/v1/mailgroups/" .. email
  wrk.headers["Authorization"] = "Bearer " .. token
end
