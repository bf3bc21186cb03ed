#!/bin/sh
# test_run.sh - `stepbench run` end to end: the example suites pass and
# their JUnit validates; a workflow edited so Process Referral is never
# reached fails with the function, the expected and the actual invocations;
# invalid files and bad usage exit 2 with file:line:column.
set -u
STEPBENCH=${STEPBENCH:-build/stepbench}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# expect_rc WANT DESCRIPTION -- command...: run it, output in $tmp/out
expect_rc() {
	want=$1; what=$2; shift 3
	"$@" >"$tmp/out" 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$what (exit $rc)"; else fail "$what: exit $rc, wanted $want"; cat "$tmp/out"; fi
}
expect_out() {
	if grep -qF -- "$1" "$tmp/out"; then ok "output has: $1"; else fail "output lacks: $1"; cat "$tmp/out"; fi
}

# 1. the example scenarios
expect_rc 0 "run scenarios" -- "$STEPBENCH" run scenarios --junit "$tmp/reports/junit.xml"
expect_out "13 scenarios: 13 passed"
expect_out "PASS  scenarios/user-onboarding/user-onboarding.scenario.json  a user with a referral code has the referral processed"
expect_out "PASS  scenarios/user-onboarding/user-onboarding.scenario.json  a user without a referral code is onboarded with no referral"
expect_out "PASS  scenarios/user-onboarding/user-onboarding.scenario.json  an empty referral code counts as none"
expect_out "PASS  scenarios/user-onboarding/user-onboarding.scenario.json  the console's first role, DynamoDB only, cannot send the onboarding event"
expect_out "PASS  scenarios/user-onboarding/user-onboarding.scenario.json  the least-privilege role and the function's permission let the workflow run"
expect_out "PASS  scenarios/order-events/order-events.scenario.json  every event is handled once, in order, the duplicate dropped"
expect_out "PASS  scenarios/order-events/order-events.scenario.json  rejected events are redriven to the dead-letter queue"
if xmllint --noout --schema tests/data/junit-10.xsd "$tmp/reports/junit.xml" 2>"$tmp/xml"; then
	ok "JUnit validates against junit-10.xsd"
else
	fail "JUnit does not validate"; cat "$tmp/xml"
fi
n=$(grep -c '<testcase ' "$tmp/reports/junit.xml")
[ "$n" -eq 13 ] && ok "13 testcases" || fail "$n testcases in the JUnit report"
n=$(grep -c '<testsuite ' "$tmp/reports/junit.xml")
[ "$n" -eq 3 ] && ok "3 testsuites (one per file)" || fail "$n testsuites in the JUnit report"
grep -q '<property name="path: a user without a referral code is onboarded with no referral" value="Set Variables -&gt; Save User Details -&gt; Send User Onboarded Event -&gt; Has Referral Code? -&gt; No Action"/>' "$tmp/reports/junit.xml" &&
	ok "JUnit properties hold each scenario's path" || fail "JUnit path property"
grep -q '<system-out>virtual time 2025-10-20T10:30:05.000Z' "$tmp/reports/junit.xml" &&
	ok "JUnit system-out holds the event timeline" || fail "JUnit timeline"

# the default path is scenarios/
expect_rc 0 "run with no path" -- "$STEPBENCH" run

# 2. Process Referral never reached: the referral scenario fails and says why
expect_rc 1 "run never-referral" -- "$STEPBENCH" run tests/data/runner/never-referral --junit "$tmp/nr.xml"
expect_out "FAIL  tests/data/runner/never-referral/with-referral.scenario.json"
expect_out "expect.lambda['user-onboarding']: expected 1 invocation of user-onboarding, got 0"
expect_out 'expected: [{"userId":"user-12345","created":"2025-10-20T10:30:05.000Z"}]'
expect_out "actual:   []"
expect_out "path taken: Set Variables -> Save User Details -> Send User Onboarded Event -> Has Referral Code? -> No Action"
expect_out "expect.path[4]: values differ"
xmllint --noout --schema tests/data/junit-10.xsd "$tmp/nr.xml" 2>/dev/null && ok "failing JUnit validates" ||
	fail "failing JUnit does not validate"
grep -q '<failure message=".*expected 1 invocation of user-onboarding, got 0' "$tmp/nr.xml" &&
	ok "JUnit failure names the invocation count" || fail "JUnit failure message"

# 3. the workflow verbatim behaves as AWS does (undefined referralCode fails Save User Details)
expect_rc 0 "run verbatim" -- "$STEPBENCH" run tests/data/runner/verbatim
expect_out "2 scenarios: 2 passed"

# 4. invalid files: file:line:column, exit 2, other files still run
mkdir -p "$tmp/bad"
cp tests/data/runner/minimal.asl.json "$tmp/bad/"
printf '{\n  "name": "broken",\n  "stateMachine": "minimal.asl.json",\n  "expect": {"status": "SUCCEEDED"}\n  "input": {}\n}\n' \
	>"$tmp/bad/a.scenario.json"
printf '{"name": "fine", "stateMachine": "minimal.asl.json", "expect": {"status": "SUCCEEDED", "path": ["Done"]}}\n' \
	>"$tmp/bad/b.scenario.json"
printf '{"name": "typo", "stateMachine": "minimal.asl.json", "expct": {}}\n' >"$tmp/bad/c.scenario.json"
expect_rc 2 "run invalid files" -- "$STEPBENCH" run "$tmp/bad" --junit "$tmp/bad.xml"
expect_out "$tmp/bad/a.scenario.json:5:3: expected ',' or '}'"
expect_out "PASS  $tmp/bad/b.scenario.json  fine"
expect_out "$tmp/bad/c.scenario.json:1:54: unknown member 'expct' (did you mean 'expect'?)"
expect_out "3 scenarios: 1 passed, 2 errors"
xmllint --noout --schema tests/data/junit-10.xsd "$tmp/bad.xml" 2>/dev/null && ok "JUnit with errors validates" ||
	fail "JUnit with errors does not validate"

# 5. bad usage and unreadable paths
expect_rc 2 "unknown option" -- "$STEPBENCH" run --frobnicate
expect_rc 2 "missing path" -- "$STEPBENCH" run "$tmp/nope"
mkdir "$tmp/empty"
expect_rc 2 "no scenario files" -- "$STEPBENCH" run "$tmp/empty"

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "test_run: all checks passed"
