-- Hybridbox list with search: GET /v1/public/accounts/{account}/mailboxes?search=TERM&page_size=25,
-- TERM drawn at random per request: half the time (SEARCH_NAMES_SHARE of the time, if set) one of the given
-- name words (first or last names the script provisioned), otherwise a local part prefix <prefix><i> (0 <= i < COUNT).
-- wrk args: TOKEN ACCOUNT_ID COUNT PREFIX WORD[,WORD...]
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
package.path = here .. "?.lua;" .. package.path
local bench = require("common")

setup = bench.setup
done = bench.done
response = bench.plain('"total":')

local headers, base, count, prefix, words = nil, nil, nil, nil, {}

function init(args)
  bench.init()
  headers = {["Authorization"] = "Bearer " .. assert(args[1], "hybridbox-search.lua: TOKEN missing")}
  base = "/v1/public/accounts/" .. assert(args[2], "hybridbox-search.lua: ACCOUNT_ID missing") ..
      "/mailboxes?page_size=25&search="
  count = assert(tonumber(args[3]), "hybridbox-search.lua: COUNT missing")
  prefix = assert(args[4], "hybridbox-search.lua: PREFIX missing")
  for word in string.gmatch(assert(args[5], "hybridbox-search.lua: WORDS missing"), "[^,]+") do
    table.insert(words, word)
  end
end

-- the share of name words among the terms (the rest are local parts); SEARCH_NAMES_SHARE, 0.5 unless set
names_share = tonumber(os.getenv("SEARCH_NAMES_SHARE") or "0.5")

function request()
  local term
  if math.random() < names_share then
    term = words[math.random(1, #words)]
  else
    term = prefix .. math.random(0, count - 1)
  end
  return wrk.format("GET", base .. term, headers)
end
