#!/bin/sh
# test_run_policy.sh - permissions end to end: `stepbench run --check-policy`
# reports what declared roles lack and grant beyond what scenarios used;
# `stepbench policy --scenarios` narrows run-time wildcards to what the
# scenarios touched; `stepbench validate` points at invalid policies.
set -u
STEPBENCH=${STEPBENCH:-build/stepbench}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# expect_rc WANT DESCRIPTION -- command...: run it, stdout in $tmp/out, stderr in $tmp/err
expect_rc() {
	want=$1; what=$2; shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$what (exit $rc)"; else fail "$what: exit $rc, wanted $want"; cat "$tmp/out" "$tmp/err"; fi
}
expect_out() {
	if grep -qF -- "$1" "$tmp/out"; then ok "output has: $1"; else fail "output lacks: $1"; cat "$tmp/out"; fi
}
expect_err() {
	if grep -qF -- "$1" "$tmp/err"; then ok "stderr has: $1"; else fail "stderr lacks: $1"; cat "$tmp/err"; fi
}

# 1. the least-privilege policy file is exactly what `stepbench policy` prints
expect_rc 0 "policy for user onboarding" -- "$STEPBENCH" policy scenarios/user-onboarding/user-onboarding.asl.json --json
python3 - "$tmp/out" scenarios/user-onboarding/least-privilege.policy.json <<'PY' && ok "least-privilege.policy.json is the generated policy" || fail "least-privilege.policy.json differs from the generated policy"
import json, sys
assert json.load(open(sys.argv[1]))["policy"] == json.load(open(sys.argv[2]))
PY

# 2. --check-policy on the user-onboarding suite: the DynamoDB-only role's
# denial is expected by its scenario (no failure), its extra actions are
# unused; the least-privilege role is exact
expect_rc 0 "check-policy on user onboarding" -- "$STEPBENCH" run scenarios/user-onboarding --check-policy --json "$tmp/r.json"
expect_out "role user-onboarding-dynamodb-only (1 scenario)"
expect_out "denied   sqs:SendMessage on arn:aws:sqs:us-east-1:000000000000:user-onboarding: denied in 'the console's first role, DynamoDB only, cannot send the onboarding event' (the scenario expects the error)"
expect_out "unused   dynamodb:GetItem is granted"
expect_out "unused   dynamodb:DeleteItem is granted"
expect_out "role user-onboarding-role (1 scenario)"
expect_out "ok: it grants exactly what its scenarios used"
expect_out "3 scenarios declare no role"
python3 - "$tmp/r.json" <<'PY' && ok "the JSON report carries each scenario's calls and findings" || fail "JSON report"
import json, sys
d = json.load(open(sys.argv[1]))
by = {r["name"]: r for r in d["results"]}
r = by["the console's first role, DynamoDB only, cannot send the onboarding event"]
assert r["policyCheck"]["missing"] == [{"action": "sqs:SendMessage", "resource": "arn:aws:sqs:us-east-1:000000000000:user-onboarding", "expected": True}], r["policyCheck"]
assert sorted(u["action"] for u in r["policyCheck"]["unused"]) == ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:UpdateItem"], r["policyCheck"]
ok = by["the least-privilege role and the function's permission let the workflow run"]["policyCheck"]
assert ok["missing"] == ok["unused"] == ok["broad"] == [], ok
assert "policyCheck" not in by["an empty referral code counts as none"]
PY

expect_rc 0 "check-policy with workers" -- "$STEPBENCH" run scenarios/user-onboarding --check-policy -j 2
expect_out "role user-onboarding-dynamodb-only (1 scenario)"
expect_out "unused   dynamodb:UpdateItem is granted"

# 3. a role missing a permission that a Catch (States.TaskFailed) swallows: the scenario passes,
# --check-policy fails the run; a broad role is reported but passes
mkdir "$tmp/wf"
cp scenarios/user-onboarding/user-onboarding.asl.json "$tmp/wf/"
python3 - "$tmp/wf/user-onboarding.asl.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d["States"]["Send User Onboarded Event"]["Catch"] = [{"ErrorEquals": ["States.TaskFailed"], "Next": "No Action"}]
json.dump(d, open(p, "w"), indent=2)
PY
cat >"$tmp/wf/roles.scenario.json" <<'JSON'
{
  "stateMachine": "user-onboarding.asl.json",
  "given": {
    "dynamodb": {"tables": [{"TableName": "User", "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}],
                             "AttributeDefinitions": [{"AttributeName": "PK", "AttributeType": "S"}]}]},
    "sqs": {"queues": [{"QueueName": "user-onboarding"}]},
    "lambda": {"functions": [{"FunctionName": "user-onboarding", "returns": {}}]}
  },
  "input": {"user": {"userId": "u1", "email": "e", "name": "n", "signupDate": "d", "source": "s", "metadata": {"country": "US"}}},
  "scenarios": [
    {"name": "a caught denial", "role": {"name": "no-sqs", "policies": [{"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": "arn:aws:dynamodb:us-east-1:000000000000:table/User"}]}]},
     "expect": {"status": "SUCCEEDED", "path": ["Set Variables", "Save User Details", "Send User Onboarded Event", "No Action"]}},
    {"name": "a broad role", "role": {"name": "broad", "policies": [{"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"},
       {"Effect": "Allow", "Action": ["sqs:SendMessage", "lambda:InvokeFunction"], "Resource": "*"}]}]},
     "expect": {"status": "SUCCEEDED"}}
  ]
}
JSON
expect_rc 0 "the scenarios pass without --check-policy" -- "$STEPBENCH" run "$tmp/wf"
expect_rc 1 "--check-policy fails on a missing permission" -- "$STEPBENCH" run "$tmp/wf" --check-policy
expect_out "MISSING  sqs:SendMessage on arn:aws:sqs:us-east-1:000000000000:user-onboarding: denied in 'a caught denial'"
expect_out "1 permission is missing from declared roles"
expect_out "broad    the action dynamodb:* is a wildcard; the scenarios used only [\"dynamodb:PutItem\"]"
expect_out "broad    the resource * is a wildcard; the scenarios touched only [\"arn:aws:dynamodb:us-east-1:000000000000:table/User\"]"
expect_out "unused   lambda:InvokeFunction is granted (on [\"*\"]) but no scenario called it"

# 4. policy --scenarios: a table named at run time gets the touched ARN
cat >"$tmp/wf/dyn.asl.json" <<'JSON'
{"QueryLanguage": "JSONata", "StartAt": "Put", "States": {
  "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
          "Arguments": {"TableName": "{% $states.input.table %}", "Item": {"PK": {"S": "x"}}}, "Next": "Get"},
  "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
          "Arguments": {"TableName": "{% $states.input.other %}", "Key": {"PK": {"S": "x"}}}, "End": true}}}
JSON
cat >"$tmp/wf/dyn.scenario.json" <<'JSON'
{"name": "orders", "stateMachine": "dyn.asl.json",
 "given": {"dynamodb": {"tables": [{"TableName": "Orders", "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}],
                                    "AttributeDefinitions": [{"AttributeName": "PK", "AttributeType": "S"}]}]}},
 "input": {"table": "Orders"},
 "mock": {"Get": {"Return": {}}},
 "expect": {"status": "SUCCEEDED"}}
JSON
expect_rc 0 "policy without scenarios" -- "$STEPBENCH" policy "$tmp/wf/dyn.asl.json"
expect_out '"Resource": "arn:aws:dynamodb:us-east-1:000000000000:table/*"'
expect_out "# Warnings"
expect_rc 0 "policy --scenarios" -- "$STEPBENCH" policy "$tmp/wf/dyn.asl.json" --scenarios "$tmp/wf"
python3 - "$tmp/out" <<'PY' && ok "the touched table replaces the wildcard for PutItem; GetItem stays a wildcard" || fail "policy --scenarios"
import json, sys
text = open(sys.argv[1]).read()
doc = json.loads(text[text.index("{"):])
st = {s["Action"] if isinstance(s["Action"], str) else tuple(s["Action"]): s["Resource"] for s in doc["Statement"]}
assert st == {"dynamodb:PutItem": "arn:aws:dynamodb:us-east-1:000000000000:table/Orders",
              "dynamodb:GetItem": "arn:aws:dynamodb:us-east-1:000000000000:table/*"}, st
assert "# Warnings" not in text
PY
expect_err "warning: $tmp/wf/dyn.asl.json: state 'Get': TableName is computed at run time, so dynamodb:GetItem is granted on arn:aws:dynamodb:us-east-1:000000000000:table/* (no scenario touched one)"
if grep -q "state 'Put'" "$tmp/err"; then fail "a narrowed wildcard still warns"; cat "$tmp/err"; else ok "no warning for the narrowed PutItem"; fi
expect_rc 2 "policy --scenarios on a missing folder" -- "$STEPBENCH" policy "$tmp/wf/dyn.asl.json" --scenarios "$tmp/nope"

# 5. validate: invalid policies with their positions
cat >"$tmp/wf/bad.scenario.json" <<'JSON'
{"name": "bad", "stateMachine": "dyn.asl.json", "expect": {},
 "role": {"policies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "s3:*", "Resource": "*"}]}]}}
JSON
expect_rc 1 "validate an invalid policy" -- "$STEPBENCH" validate "$tmp/wf/bad.scenario.json"
expect_out "$tmp/wf/bad.scenario.json:2:64: role.policies[0].Statement[0]: invalid policy: Invalid effect: Alow"

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "test_run_policy: all checks passed"
