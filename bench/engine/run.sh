#!/bin/sh
# run.sh - engine throughput (state transitions per second): stepbench's interpreter and its peer,
# aws-local-stepfunctions 3.0.0 (TypeScript, run by node), on the same definitions and inputs.
# usage (from the repository root): sh bench/engine/run.sh [SECONDS]   (per scenario and side; default 3)
set -eu
SECS=${1:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
cd "$ROOT"
make -s "$BUILD/libstepbench.a" >/dev/null
mkdir -p "$BUILD/bench/engine/defs"
${CC:-cc} -O2 -g -std=c11 -I"$ROOT" -D_GNU_SOURCE -o "$BUILD/bench/engine/bench" "$HERE/bench.c" \
	"$BUILD/libstepbench.a" -lcivetweb -lcjson -llmdb -lpcre2-8 -lz -lpthread -lm
"$BUILD/bench/engine/bench" --dump "$BUILD/bench/engine/defs"
C_OUT=$(mktemp)
JS_OUT=$(mktemp)
trap 'rm -f "$C_OUT" "$JS_OUT"' EXIT
"$BUILD/bench/engine/bench" "$SECS" | tail -1 >"$C_OUT"
if command -v node >/dev/null && { [ -d "$HERE/node_modules/aws-local-stepfunctions" ] ||
	(cd "$HERE" && npm install --no-audit --no-fund --silent >/dev/null 2>&1); }; then
	(cd "$HERE" && node peer.mjs "$BUILD/bench/engine/defs" "$SECS") >"$JS_OUT"
else
	echo '{}' >"$JS_OUT"
	echo "run.sh: node or npm is missing: no peer figures" >&2
fi
python3 - "$C_OUT" "$JS_OUT" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
p = json.load(open(sys.argv[2]))
print("| scenario | stepbench transitions/s | aws-local-stepfunctions transitions/s | ratio |")
print("|---|---:|---:|---:|")
for k, v in c.items():
    peer = p.get(k, {})
    if "transitions_per_s" in peer:
        print("| %s | %d | %d | %.1fx |" % (k, v["transitions_per_s"], peer["transitions_per_s"],
                                          v["transitions_per_s"] / max(peer["transitions_per_s"], 1)))
    else:
        print("| %s | %d | %s | - |" % (k, v["transitions_per_s"], ("fails: " + peer["error"][:60]) if "error" in peer else "n/a"))
PY
