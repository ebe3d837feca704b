-- Feishu #46, POST /open-apis/mail/v1/users/query with {"email_list":[10 addresses]}: each request
-- asks for 10 addresses drawn at random from the mailboxes the script provisioned
-- (<prefix><i>@<domain>, 0 <= i < COUNT).
-- wrk args: TOKEN PREFIX COUNT DOMAIN
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
package.path = here .. "?.lua;" .. package.path
local bench = require("common")

setup = bench.setup
done = bench.done
response = bench.feishu

local headers, prefix, count, domain

function init(args)
  bench.init()
  headers = {["Authorization"] = "Bearer " .. assert(args[1], "users-query.lua: TOKEN missing"),
             ["Content-Type"] = "application/json; charset=utf-8"}
  prefix = assert(args[2], "users-query.lua: PREFIX missing")
  count = assert(tonumber(args[3]), "users-query.lua: COUNT missing")
  domain = assert(args[4], "users-query.lua: DOMAIN missing")
end

function request()
  local list = {}
  for i = 1, 10 do
    list[i] = '"' .. prefix .. math.random(0, count - 1) .. "@" .. domain .. '"'
  end
  return wrk.format("POST", "/open-apis/mail/v1/users/query", headers,
      '{"email_list":[' .. table.concat(list, ",") .. "]}")
end
