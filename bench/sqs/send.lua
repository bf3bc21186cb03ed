-- send.lua - SendMessage of a 100-byte body, as fast as the server answers.
package.path = (os.getenv("BENCH_DIR") or "bench/sqs") .. "/?.lua;" .. package.path
local c = require("common")
local body = '{"QueueUrl":"' .. c.queue .. '","MessageBody":"' .. string.rep("x", 100) .. '"}'
local r
init = function() r = c.req("SendMessage", body) end
request = function() return r end
done = function(summary, latency) c.done(summary, latency) end
