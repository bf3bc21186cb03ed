#!/bin/sh
# test_run_features.sh - what `stepbench run` offers beyond one plain run:
# workers (-j) that change nothing but speed, shards that split the set,
# --filter, --fail-fast, --json, --min-coverage, init + --record to a green
# suite at 100% coverage, Step Functions Local mock files, and validate.
set -u
STEPBENCH=${STEPBENCH:-build/stepbench}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
expect_rc() {
	want=$1; what=$2; shift 3
	"$@" >"$tmp/out" 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$what (exit $rc)"; else fail "$what: exit $rc, wanted $want"; cat "$tmp/out"; fi
}
expect_out() {
	if grep -qF -- "$1" "$tmp/out"; then ok "output has: $1"; else fail "output lacks: $1"; cat "$tmp/out"; fi
}
# console result lines without their timings
lines() { grep -E '^(PASS|FAIL|ERROR) ' "$1" | sed 's/ ([0-9]* ms)$//'; }

SET="scenarios tests/data/runner/verbatim tests/data/runner/never-referral"

# -j: same results, same order, same JUnit (but for times)
"$STEPBENCH" run $SET --junit "$tmp/j1.xml" >"$tmp/j1.out" 2>&1
"$STEPBENCH" run $SET -j 2 --junit "$tmp/j2.xml" >"$tmp/j2.out" 2>&1
lines "$tmp/j1.out" >"$tmp/j1.lines"
lines "$tmp/j2.out" >"$tmp/j2.lines"
n=$(wc -l <"$tmp/j1.lines")
[ "$n" -gt 4 ] && ok "$n results" || fail "only $n results"
cmp -s "$tmp/j1.lines" "$tmp/j2.lines" && ok "-j 2 reports the same results in the same order" ||
	{ fail "-j 2 differs"; diff "$tmp/j1.lines" "$tmp/j2.lines"; }
sed 's/time="[0-9.]*"//g' "$tmp/j1.xml" >"$tmp/j1.x"
sed 's/time="[0-9.]*"//g' "$tmp/j2.xml" >"$tmp/j2.x"
cmp -s "$tmp/j1.x" "$tmp/j2.x" && ok "-j 2 writes the same JUnit" || { fail "JUnit differs"; diff "$tmp/j1.x" "$tmp/j2.x" | head; }

# shards: disjoint, together everything, each stable
"$STEPBENCH" run $SET --shard 1/2 >"$tmp/s1.out" 2>&1
"$STEPBENCH" run $SET --shard 2/2 -j 2 >"$tmp/s2.out" 2>&1
lines "$tmp/s1.out" >"$tmp/s1.lines"
lines "$tmp/s2.out" >"$tmp/s2.lines"
[ -s "$tmp/s1.lines" ] && [ -s "$tmp/s2.lines" ] && ok "both shards have scenarios" || fail "an empty shard"
sort "$tmp/s1.lines" "$tmp/s2.lines" >"$tmp/s12"
sort "$tmp/j1.lines" >"$tmp/all"
cmp -s "$tmp/s12" "$tmp/all" && ok "the shards together are the whole set" || { fail "shards"; diff "$tmp/s12" "$tmp/all"; }
[ -z "$(sort "$tmp/s1.lines" | comm -12 - "$(sort "$tmp/s2.lines" >"$tmp/s2s"; echo "$tmp/s2s")")" ] &&
	ok "the shards are disjoint" || fail "the shards overlap"
expect_rc 2 "a bad shard" -- "$STEPBENCH" run --shard 3/2

# --filter
expect_rc 0 "filter by name" -- "$STEPBENCH" run scenarios/user-onboarding --filter "REFERRAL CODE HAS"
expect_out "1 scenario: 1 passed"

# --fail-fast: never-referral fails first, so the verbatim scenarios never start
expect_rc 1 "fail-fast" -- "$STEPBENCH" run tests/data/runner/never-referral tests/data/runner/verbatim --fail-fast
expect_out "stopped after the first failure (--fail-fast): 2 scenarios not run"
expect_out "1 scenario: 0 passed, 1 failed"

# --json
expect_rc 0 "json report" -- "$STEPBENCH" run scenarios/user-onboarding --json "$tmp/r.json"
python3 - "$tmp/r.json" <<'PY' && ok "the JSON report holds the summary, results and coverage" || fail "JSON report"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["summary"]["total"] == len(d["results"]) == d["summary"]["passed"] >= 3, d["summary"]
assert all(r["outcome"] == "passed" and r["path"] and r["history"] for r in d["results"])
assert d["coverage"][0]["percent"] == 100, d["coverage"]
PY

# --min-coverage: the referral scenario alone never takes No Action
expect_rc 1 "coverage below the minimum" -- "$STEPBENCH" run scenarios/user-onboarding --filter "referral code has" --min-coverage 100
expect_out "workflow coverage is below --min-coverage 100%"
expect_out "Choice 'Has Referral Code?' -> 'No Action' (Default)"
expect_rc 0 "coverage above the minimum" -- "$STEPBENCH" run scenarios/user-onboarding --filter "referral code has" --min-coverage 70

# init, fill the inputs, --record, then green at 100%
mkdir "$tmp/init"
cp scenarios/user-onboarding/user-onboarding.asl.json "$tmp/init/"
expect_rc 0 "init" -- "$STEPBENCH" init "$tmp/init/user-onboarding.asl.json"
expect_out "2 scenarios, one per path"
expect_rc 1 "init does not overwrite" -- "$STEPBENCH" init "$tmp/init/user-onboarding.asl.json"
python3 - "$tmp/init/user-onboarding.scenario.json" <<'PY'
import json, sys
p = sys.argv[1]
s = json.load(open(p))
user = {"userId": "u-1", "email": "a@example.com", "name": "A", "signupDate": "2025-01-01T00:00:00Z",
        "source": "web", "metadata": {"country": "FR"}}
for sc in s["scenarios"]:
    u = json.loads(json.dumps(user))
    if sc["name"].endswith("Process Referral"):
        u["metadata"]["referralCode"] = "HELLO"
    sc["input"] = {"user": u}
json.dump(s, open(p, "w"), indent=2)
PY
expect_rc 0 "record" -- "$STEPBENCH" run "$tmp/init" --record
expect_out "recorded expectations into $tmp/init/user-onboarding.scenario.json"
grep -q '"lambda": {"user-onboarding": \[\]}' "$tmp/init/user-onboarding.scenario.json" &&
	ok "the no-referral scenario records that the function was never invoked" || fail "recorded lambda"
expect_rc 0 "the recorded suite passes at 100% coverage" -- "$STEPBENCH" run "$tmp/init" --min-coverage 100
expect_out "100.0%"
# and a recorded expectation really checks: change the workflow and it fails
sed 's/"UserOnboarded"/"UserCreated"/' scenarios/user-onboarding/user-onboarding.asl.json >"$tmp/init/user-onboarding.asl.json"
expect_rc 1 "recorded expectations catch a change" -- "$STEPBENCH" run "$tmp/init"
expect_out ".Body.type: values differ"

# a Step Functions Local mock configuration, its test cases run as scenarios
cat >"$tmp/MockConfigFile.json" <<'JSON'
{"StateMachines": {"UserOnboarding": {"TestCases": {
   "Referral": {"Save User Details": "Stored", "Send User Onboarded Event": "Sent", "Process Referral": "Referred"},
   "ReferralFails": {"Save User Details": "Stored", "Send User Onboarded Event": "Sent", "Process Referral": "Broken"}}}},
 "MockedResponses": {
   "Stored": {"0": {"Return": {}}},
   "Sent": {"0": {"Return": {"MessageId": "m-1", "MD5OfMessageBody": "x"}}},
   "Referred": {"0": {"Return": {"StatusCode": 200, "Payload": {"ok": true}}}},
   "Broken": {"0-2": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "down"}}}}}
JSON
printf '{"user": {"userId": "u-9", "email": "e", "name": "n", "signupDate": "s", "source": "t", "metadata": {"referralCode": "R", "country": "US"}}}\n' >"$tmp/input.json"
expect_rc 0 "mock config" -- "$STEPBENCH" run --mock-config "$tmp/MockConfigFile.json" \
	--state-machine UserOnboarding=scenarios/user-onboarding/user-onboarding.asl.json --input "$tmp/input.json" -v
expect_out "PASS  $tmp/MockConfigFile.json  UserOnboarding: Referral"
expect_out "path taken: Set Variables -> Save User Details -> Send User Onboarded Event -> Has Referral Code? -> Process Referral"
expect_out "2 scenarios: 2 passed"
expect_rc 2 "mock config without its state machine" -- "$STEPBENCH" run --mock-config "$tmp/MockConfigFile.json"

# callbacks answer .waitForTaskToken tasks (SendTaskSuccess / SendTaskFailure), or nobody does
expect_rc 0 "callbacks" -- "$STEPBENCH" run tests/data/runner/callbacks -v
expect_out "3 scenarios: 3 passed"
expect_out "path taken: Request Approval -> Rejected"
mkdir "$tmp/cb" && cp tests/data/runner/callbacks/* "$tmp/cb/"
sed 's/"approver": "ana"}}/"approver": "bob"}}/' tests/data/runner/callbacks/approval.scenario.json >"$tmp/cb/approval.scenario.json"
expect_rc 1 "a callback's answer reaches the output" -- "$STEPBENCH" run "$tmp/cb"
expect_out '"bob"'
sed 's/"Return": {"approver": "ana"}/"Retrun": {"approver": "ana"}/' tests/data/runner/callbacks/approval.scenario.json >"$tmp/cb/approval.scenario.json"
expect_rc 1 "validate checks callbacks" -- "$STEPBENCH" validate "$tmp/cb/approval.scenario.json"
expect_out "approval.scenario.json:8:42: callbacks['Request Approval']: 'Retrun' is not an invocation number or range"

# validate
expect_rc 0 "validate the examples" -- "$STEPBENCH" validate scenarios tests/data/runner/verbatim
expect_out "all valid"
printf '{"name": "v", "stateMachine": "user-onboarding.asl.json", "given": {"sqs": {"queues": [{"QueueName": "user-onboarding"}]}},\n "expect": {"staus": "SUCCEEDED"}}\n' \
	>"$tmp/init/v.scenario.json"
expect_rc 1 "validate finds a typo" -- "$STEPBENCH" validate "$tmp/init/v.scenario.json"
expect_out "v.scenario.json:2:13: unknown member 'staus' in expect (did you mean 'status'?)"
sed 's/staus/status/' "$tmp/init/v.scenario.json" >"$tmp/init/w.scenario.json"
expect_rc 1 "validate finds what given does not create" -- "$STEPBENCH" validate "$tmp/init/w.scenario.json"
expect_out "w.scenario.json:1:1: scenario 'v': state 'Save User Details' uses the table 'User', which given does not create"
expect_rc 2 "validate a missing path" -- "$STEPBENCH" validate "$tmp/nope"
printf '{"name": "c", "stateMachine": "user-onboarding.asl.json",\n "given": {"lambda": {"functions": [{"FunctionName": "f", "code": "nope.zip"}, {"FunctionName": "g", "code": "nope.zip", "returns": 1}]}}}\n' \
	>"$tmp/init/c.scenario.json"
expect_rc 1 "validate checks a function's code" -- "$STEPBENCH" validate "$tmp/init/c.scenario.json"
expect_out "c.scenario.json:2:37: given.lambda.functions[0] has code: it needs a Runtime"
expect_out "c.scenario.json:2:67: given.lambda.functions[0].code: cannot read '$tmp/init/nope.zip'"
expect_out "c.scenario.json:2:80: given.lambda.functions[1] needs exactly one behaviour"

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "test_run_features: all checks passed"
