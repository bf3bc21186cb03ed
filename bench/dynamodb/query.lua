-- query.lua - Query of the whole 100-item partition "part" (one page: ~30 KB).
package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local ddb = require("ddb")
local body = string.format('{"TableName":"%s","KeyConditionExpression":"pk = :p",' ..
	'"ExpressionAttributeValues":{":p":{"S":"part"}}}', ddb.table)

request = function()
	return ddb.request("Query", body)
end

done = ddb.done
