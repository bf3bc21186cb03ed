#!/bin/sh
# run.sh - Lambda Invoke latency against `stepbench serve` over HTTP on loopback:
# a `returns` behaviour (no process) and a python3.12 handler from a zip (a child
# process per invocation, as the mock runs code), one keep-alive connection.
#
#   sh bench/lambda/run.sh [RETURNS_COUNT] [PYTHON_COUNT]
#
# Needs a built build/stepbench (make). Prints one JSON line per function.
set -eu
cd "$(dirname "$0")/../.."
N_RET=${1:-20000}
N_PY=${2:-300}
BIN=${STEPBENCH:-build/stepbench}
out=build/bench
mkdir -p "$out"
cc -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -o "$out/lam_bench" bench/lambda/lam_bench.c

work=$(mktemp -d "${TMPDIR:-/tmp}/stepbench-lambench-XXXXXX")
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
"$BIN" serve --port 0 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
while ! grep -q 'serving http://' "$work/serve.out" 2>/dev/null; do sleep 0.05; done
url=$(sed -n 's/.*serving \(http:[^ ]*\).*/\1/p' "$work/serve.out")
port=${url##*:}

python3 - "$url" <<'EOF'
import io, json, sys, urllib.request, zipfile, base64
url = sys.argv[1]
def create(body):
    req = urllib.request.Request(url + "/2015-03-31/functions", data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()
create({"FunctionName": "bench-returns", "Behavior": {"returns": {"referral": "processed", "bonus": 10}}})
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("app.py", "def handler(event, context):\n    return {'userId': event['userId'], 'ok': True}\n")
create({"FunctionName": "bench-python", "Runtime": "python3.12", "Handler": "app.handler",
        "Role": "arn:aws:iam::000000000000:role/bench", "Code": {"ZipFile": base64.b64encode(buf.getvalue()).decode()}})
EOF

echo "# stepbench $("$BIN" --version 2>/dev/null || echo) on $(nproc) cores; $(python3 --version 2>&1)"
"$out/lam_bench" "$port" bench-returns "$N_RET" 200
"$out/lam_bench" "$port" bench-python "$N_PY" 10
