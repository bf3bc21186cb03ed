-- get.lua - GetItem of random keys among the 10,000 preloaded items (get-0 .. get-9999).
package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local ddb = require("ddb")

request = function()
	return ddb.request("GetItem", string.format(
		'{"TableName":"%s","Key":{"pk":{"S":"get-%d"},"sk":{"S":"0"}}}', ddb.table, math.random(0, 9999)))
end

done = ddb.done
