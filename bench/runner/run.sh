#!/bin/sh
# run.sh - how many scenarios per second `stepbench run` gets through, with
# one worker process and with two, on N scenarios copied from the examples
# (default 1000). Run from the repository root after `make`:
#     sh bench/runner/run.sh            N=5000 sh bench/runner/run.sh
set -eu
N=${N:-1000}
STEPBENCH=${STEPBENCH:-build/stepbench}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
python3 bench/runner/generate.py "$tmp/scenarios" "$N"
now() { python3 -c 'import time; print(time.monotonic())'; }
for j in 1 2; do
	t0=$(now)
	if "$STEPBENCH" run "$tmp/scenarios" -j "$j" -q >"$tmp/out" 2>&1; then rc=0; else rc=$?; fi
	t1=$(now)
	summary=$(grep -E '^[0-9]+ scenarios?:' "$tmp/out" || true)
	python3 -c "import sys; n, t = int(sys.argv[1]), float(sys.argv[2]) - float(sys.argv[3]); \
print('-j %s: %d scenarios in %.2f s = %.0f scenarios/s   (%s, exit %s)' % (sys.argv[4], n, t, n / t, sys.argv[5], sys.argv[6]))" \
		"$N" "$t1" "$t0" "$j" "$summary" "$rc"
done
