#!/bin/sh
# run.sh - SQS throughput: stepbench serve vs moto_server vs a bare civetweb answering {}.
#
#   sh bench/sqs/run.sh            (RUNS=5 DURATION=8s CONNS=16 THREADS=1 by default)
#
# Each round runs, against each server in turn, SendMessage then
# ReceiveMessage+DeleteMessage (on the queue the sends filled) with wrk over
# loopback, and the table reports the median of the rounds: requests/s,
# p50 and p99 latency, and stepbench's ratios to moto and to bare civetweb.
# Every server started here is stopped on exit.
set -eu
RUNS=${RUNS:-5}
DURATION=${DURATION:-8s}
CONNS=${CONNS:-16}
THREADS=${THREADS:-1}
BUILD=${BUILD:-build}
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
export BENCH_DIR
OUT=$BUILD/bench/sqs
mkdir -p "$OUT"
: > "$OUT/results.txt"

command -v wrk >/dev/null || { echo "run.sh: wrk is missing (apt-get install wrk)" >&2; exit 2; }
command -v moto_server >/dev/null || { echo "run.sh: moto_server is missing" >&2; exit 2; }
make -s "$BUILD/stepbench"
cc -O2 -o "$OUT/bare_civetweb" "$BENCH_DIR/bare_civetweb.c" -lcivetweb -lpthread

PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_url() { # file -> URL printed by the server
	i=0
	while ! grep -q 'http://' "$1" 2>/dev/null; do i=$((i+1)); [ $i -lt 200 ] || { echo "no URL in $1" >&2; exit 1; }; sleep 0.05; done
	grep -o 'http://[0-9.:]*' "$1" | head -1
}

"$BUILD/stepbench" serve --port 0 > "$OUT/stepbench.log" 2>&1 & PIDS="$PIDS $!"
"$OUT/bare_civetweb" 0 > "$OUT/bare.log" 2>&1 & PIDS="$PIDS $!"
MP=$(free_port)
moto_server -H 127.0.0.1 -p "$MP" > "$OUT/moto.log" 2>&1 & PIDS="$PIDS $!"
SB=$(wait_url "$OUT/stepbench.log")
BARE=$(wait_url "$OUT/bare.log")
MOTO=http://127.0.0.1:$MP
i=0; until curl -s "$MOTO/moto-api/" >/dev/null 2>&1; do i=$((i+1)); [ $i -lt 200 ] || { echo "moto did not start" >&2; exit 1; }; sleep 0.1; done

qurl() { # endpoint -> queue URL (created)
	python3 - "$1" <<'PY'
import sys, boto3
c = boto3.client("sqs", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="test", aws_secret_access_key="test")
print(c.create_queue(QueueName="bench")["QueueUrl"])
PY
}
SBQ=$(qurl "$SB"); MOTOQ=$(qurl "$MOTO"); BAREQ=$BARE/000000000000/bench

echo "wrk -t$THREADS -c$CONNS -d$DURATION; $RUNS rounds; stepbench $SB, moto $MOTO, bare $BARE"
r=1
while [ $r -le "$RUNS" ]; do
	for srv in stepbench moto bare; do
		case $srv in stepbench) U=$SB Q=$SBQ ;; moto) U=$MOTO Q=$MOTOQ ;; bare) U=$BARE Q=$BAREQ ;; esac
		for s in send recv_delete; do
			line=$(QUEUE_URL=$Q wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" -s "$BENCH_DIR/$s.lua" "$U" | grep '^RESULT')
			echo "$srv $s $line" | tee -a "$OUT/results.txt"
		done
	done
	r=$((r+1))
done

python3 - "$OUT/results.txt" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    srv, scen, _, *kv = line.split()
    d = dict(x.split("=") for x in kv)
    rows.setdefault((srv, scen), []).append(d)
def med(srv, scen, k):
    return statistics.median(float(d[k]) for d in rows[(srv, scen)])
print()
print("| scenario | server | req/s (median) | p50 ms | p99 ms | stepbench ÷ this |")
print("|---|---|---:|---:|---:|---:|")
for scen, title in (("send", "SendMessage"), ("recv_delete", "ReceiveMessage+DeleteMessage")):
    sb = med("stepbench", scen, "req_s")
    for srv in ("stepbench", "moto", "bare"):
        rs = med(srv, scen, "req_s")
        ratio = "—" if srv == "stepbench" else "%.1f×" % (sb / rs) if srv == "moto" else "%.2f" % (sb / rs)
        print("| %s | %s | %.0f | %.2f | %.2f | %s |" % (title, {"bare": "bare civetweb {}", "moto": "moto_server"}.get(srv, srv),
              rs, med(srv, scen, "p50_ms"), med(srv, scen, "p99_ms"), ratio))
bad = [l for l in open(sys.argv[1]) if "stepbench" in l and not re.search(r"non2xx=0 sockerr=0", l)]
if bad:
    print("\nstepbench answered errors in: " + "; ".join(b.strip() for b in bad))
PY
