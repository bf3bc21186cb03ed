-- common.lua - shared by the SQS wrk scripts: JSON-protocol requests and a result line.
-- QUEUE_URL names the queue; every request carries a SigV4-shaped Authorization
-- header so servers that route by credential scope (moto) find the service.
local M = {}
M.queue = os.getenv("QUEUE_URL") or "http://127.0.0.1/000000000000/bench"
function M.req(op, body)
	return wrk.format("POST", "/", {
		["Content-Type"] = "application/x-amz-json-1.0",
		["X-Amz-Target"] = "AmazonSQS." .. op,
		["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sqs/aws4_request, " ..
		                    "SignedHeaders=host;x-amz-target, Signature=0",
	}, body)
end
function M.done(summary, latency, extra)
	local s = summary.duration / 1e6
	io.write(string.format("RESULT requests=%d req_s=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d sockerr=%d%s\n",
		summary.requests, summary.requests / s, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write +
		summary.errors.timeout, extra or ""))
end
return M
