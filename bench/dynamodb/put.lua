-- put.lua - PutItem of ~300-byte items under keys no other request uses.
package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local ddb = require("ddb")
local pad = string.rep("x", 200)
local n = 0
local tag = tostring(math.random(1, 1e9))

request = function()
	n = n + 1
	local id = tag .. "-" .. n
	return ddb.request("PutItem", string.format(
		'{"TableName":"%s","Item":{"pk":{"S":"put-%s"},"sk":{"S":"0"},"email":{"S":"user%s@example.com"},' ..
		'"n":{"N":"%d"},"active":{"BOOL":true},"pad":{"S":"%s"}}}', ddb.table, id, id, n, pad))
end

done = ddb.done
