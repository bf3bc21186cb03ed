#!/bin/sh
# run.sh - DynamoDB throughput: stepbench serve vs moto_server vs bare civetweb answering {}.
#
#   sh bench/dynamodb/run.sh        (RUNS=5 DURATION=8s CONNS=16 THREADS=1 by default)
#
# Starts the three servers on free loopback ports, preloads stepbench and moto
# with the same table (10,000 items, and a 100-item partition), then in each
# round drives every server with wrk: GetItem of random preloaded keys, Query
# of the 100-item partition, PutItem of ~300-byte items under fresh keys. The
# table gives the medians over the rounds: requests/s, p50/p99 latency, and
# stepbench's ratio to each peer. Every server started here is stopped on exit.
set -eu
RUNS=${RUNS:-5}
DURATION=${DURATION:-8s}
CONNS=${CONNS:-16}
THREADS=${THREADS:-1}
BUILD=${BUILD:-build}
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
export BENCH_DIR
OUT=$BUILD/bench/dynamodb
mkdir -p "$OUT"
: > "$OUT/results.txt"

command -v wrk >/dev/null || { echo "run.sh: wrk is missing (apt-get install wrk)" >&2; exit 2; }
command -v moto_server >/dev/null || { echo "run.sh: moto_server is missing" >&2; exit 2; }
make -s "$BUILD/stepbench"
cc -O2 -o "$OUT/bare" "$BENCH_DIR/bare.c" -lcivetweb -lpthread

PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
url_of() { # log file -> the URL the server printed
	i=0
	until grep -q 'http://' "$1" 2>/dev/null; do
		i=$((i+1)); [ $i -lt 200 ] || { echo "run.sh: no URL in $1" >&2; exit 1; }; sleep 0.05
	done
	grep -o 'http://[0-9.:]*' "$1" | head -1
}

"$BUILD/stepbench" serve --port 0 > "$OUT/stepbench.log" 2>&1 & PIDS="$PIDS $!"
"$OUT/bare" 0 > "$OUT/bare.log" 2>&1 & PIDS="$PIDS $!"
MP=$(free_port)
moto_server -H 127.0.0.1 -p "$MP" > "$OUT/moto.log" 2>&1 & PIDS="$PIDS $!"
SB=$(url_of "$OUT/stepbench.log")
BARE=$(url_of "$OUT/bare.log")
MOTO=http://127.0.0.1:$MP
i=0
until curl -s "$MOTO/moto-api/" >/dev/null 2>&1; do
	i=$((i+1)); [ $i -lt 300 ] || { echo "run.sh: moto did not start" >&2; exit 1; }; sleep 0.1
done
python3 "$BENCH_DIR/preload.py" "$SB"
python3 "$BENCH_DIR/preload.py" "$MOTO"

echo "wrk -t$THREADS -c$CONNS -d$DURATION, $RUNS rounds; stepbench $SB, moto $MOTO, bare $BARE"
r=1
while [ "$r" -le "$RUNS" ]; do
	for srv in stepbench moto bare; do
		case $srv in stepbench) U=$SB ;; moto) U=$MOTO ;; bare) U=$BARE ;; esac
		for w in get query put; do
			line=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" -s "$BENCH_DIR/$w.lua" "$U" | grep '^RESULT')
			echo "$srv $w $line" | tee -a "$OUT/results.txt"
		done
	done
	r=$((r+1))
done

python3 - "$OUT/results.txt" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    srv, w, _, *kv = line.split()
    rows.setdefault((srv, w), []).append(dict(x.split("=") for x in kv))
def med(srv, w, k):
    return statistics.median(float(d[k]) for d in rows[(srv, w)])
names = {"stepbench": "stepbench", "moto": "moto_server", "bare": "bare civetweb {}"}
print()
print("| workload | server | req/s | p50 ms | p99 ms | stepbench ÷ this |")
print("|---|---|---:|---:|---:|---:|")
for w, title in (("get", "GetItem (10,000 items)"), ("query", "Query (100-item partition)"),
                 ("put", "PutItem (~300 B, new keys)")):
    sb = med("stepbench", w, "req_s")
    for srv in ("stepbench", "moto", "bare"):
        rs = med(srv, w, "req_s")
        ratio = "—" if srv == "stepbench" else ("%.0f×" % (sb / rs) if srv == "moto" else "%.2f" % (sb / rs))
        print("| %s | %s | %.0f | %.2f | %.2f | %s |" % (title, names[srv], rs, med(srv, w, "p50_ms"),
                                                      med(srv, w, "p99_ms"), ratio))
bad = [l.strip() for l in open(sys.argv[1]) if l.startswith("stepbench") and "non2xx=0 sockerr=0" not in l]
if bad:
    print("\nstepbench answered errors: " + "; ".join(bad))
PY
