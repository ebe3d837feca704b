-- GET /healthz (Mailroom only): the framework's ceiling, HTTP and JSON without the directory.
-- wrk args: none
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
package.path = here .. "?.lua;" .. package.path
local bench = require("common")

setup = bench.setup
done = bench.done
response = bench.plain('"status":"ok"')

function init(args)
  bench.init()
  wrk.path = "/healthz"
end
