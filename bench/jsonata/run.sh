#!/bin/sh
# run.sh - JSONata benchmark: stepbench's engine against the reference jsonata@2.2.2 (node), same
# expressions, same data, compile once / evaluate many, medians of REPS repetitions.
# usage (from the repository root): sh bench/jsonata/run.sh [REPS]
set -eu
REPS=${1:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
DATA=$ROOT/tests/conformance/suites/jsonata/datasets
cd "$ROOT"
make -s "$BUILD/libstepbench.a" >/dev/null
mkdir -p "$BUILD/bench"
${CC:-cc} -O2 -g -std=c11 -I"$ROOT" -D_GNU_SOURCE -o "$BUILD/bench/jsonata_bench" "$HERE/bench.c" \
	"$BUILD/libstepbench.a" -lcivetweb -lcjson -llmdb -lpcre2-8 -lpthread -lm
if [ ! -d "$HERE/node_modules/jsonata" ]; then
	(cd "$HERE" && npm install --no-audit --no-fund --silent >/dev/null)
fi
C_OUT=$(mktemp)
JS_OUT=$(mktemp)
trap 'rm -f "$C_OUT" "$JS_OUT"' EXIT
"$BUILD/bench/jsonata_bench" "$HERE/exprs.json" "$DATA" "$REPS" >"$C_OUT"
(cd "$HERE" && node ref.js "$HERE/exprs.json" "$DATA" "$REPS") >"$JS_OUT"
node "$HERE/table.js" "$C_OUT" "$JS_OUT"
