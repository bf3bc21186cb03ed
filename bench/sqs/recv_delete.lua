-- recv_delete.lua - ReceiveMessage, then DeleteMessage of what it got: each pair is two requests.
-- Handles are kept per wrk thread; a connection deletes one when there is one, else receives.
package.path = (os.getenv("BENCH_DIR") or "bench/sqs") .. "/?.lua;" .. package.path
local c = require("common")
local handles, recv = {}, nil
deletes = 0
local threads = {}
setup = function(t) table.insert(threads, t) end
init = function()
	recv = c.req("ReceiveMessage", '{"QueueUrl":"' .. c.queue .. '","MaxNumberOfMessages":1}')
end
request = function()
	local h = table.remove(handles)
	if h then
		deletes = deletes + 1
		return c.req("DeleteMessage", '{"QueueUrl":"' .. c.queue .. '","ReceiptHandle":"' .. h .. '"}')
	end
	return recv
end
response = function(status, headers, body)
	local h = body:match('"ReceiptHandle"%s*:%s*"([^"]+)"')
	if h then table.insert(handles, h) end
end
done = function(summary, latency)
	local d = 0
	for _, t in ipairs(threads) do d = d + t:get("deletes") end
	c.done(summary, latency, string.format(" deletes=%d", d))
end
