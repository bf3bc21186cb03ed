-- ddb.lua - shared by the DynamoDB wrk scripts: JSON 1.0 requests and one RESULT line per run.
-- Requests carry a SigV4-shaped Authorization header: moto routes by its credential scope.
local M = {}
M.table = os.getenv("TABLE") or "Bench"

function M.request(op, body)
	return wrk.format("POST", "/", {
		["Content-Type"] = "application/x-amz-json-1.0",
		["X-Amz-Target"] = "DynamoDB_20120810." .. op,
		["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/dynamodb/aws4_request, " ..
		                    "SignedHeaders=host;x-amz-target, Signature=0",
	}, body)
end

function M.done(summary, latency)
	local secs = summary.duration / 1e6
	local e = summary.errors
	io.write(string.format("RESULT requests=%d req_s=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d sockerr=%d\n",
		summary.requests, summary.requests / secs, latency:percentile(50) / 1000,
		latency:percentile(99) / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end

return M
