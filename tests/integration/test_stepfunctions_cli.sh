#!/bin/sh
# test_stepfunctions_cli.sh - the user-onboarding workflow through the AWS CLI against `stepbench serve`:
# create-table / create-queue / create-function, create-state-machine, start-execution,
# describe-execution, get-execution-history (checked event type by event type), the item,
# the message and the invocation it left; the no-referral input failing as on AWS.
set -u
STEPBENCH=${STEPBENCH:-build/stepbench}
work=$(mktemp -d "${TMPDIR:-/tmp}/stepbench-sfncli-XXXXXX")
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	[ -s "$work/serve.err" ] && sed 's/^/serve: /' "$work/serve.err"
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$STEPBENCH" serve --port 0 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
i=0
while ! grep -q 'serving http://' "$work/serve.out" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "stepbench serve did not start" >&2
		exit 1
	fi
	sleep 0.05
done
url=$(sed -n 's/.*serving \(http:[^ ]*\).*/\1/p' "$work/serve.out")

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
aws_() { aws --endpoint-url "$url" --output json "$@"; }
pass=0
fail=0
check() { # name expected actual
	if [ "$2" = "$3" ]; then
		pass=$((pass + 1))
		echo "ok   $1"
	else
		fail=$((fail + 1))
		echo "FAIL $1: expected [$2], got [$3]"
	fi
}
field() { python3 -c 'import json,sys; d=json.load(sys.stdin)
for k in sys.argv[1].split("."): d = d[int(k)] if isinstance(d, list) else d.get(k)
print(d if not isinstance(d, (dict, list)) else json.dumps(d, sort_keys=True))' "$1"; }

# ---- the world the workflow needs ----------------------------------------
aws_ dynamodb create-table --table-name User --billing-mode PAY_PER_REQUEST \
	--attribute-definitions AttributeName=PK,AttributeType=S AttributeName=SK,AttributeType=S \
	--key-schema AttributeName=PK,KeyType=HASH AttributeName=SK,KeyType=RANGE >/dev/null
queue=$(aws_ sqs create-queue --queue-name user-onboarding | field QueueUrl)
aws_ lambda create-function --function-name user-onboarding --role arn:aws:iam::000000000000:role/r \
	--code '{}' --environment '{"Variables": {"STEPBENCH_BEHAVIOR": "{\"returns\": {\"referralProcessed\": true}}"}}' \
	>/dev/null

sm=$(aws_ stepfunctions create-state-machine --name user-onboarding \
	--role-arn arn:aws:iam::000000000000:role/sfn \
	--definition "file://tests/data/asl/user-onboarding.asl.json" | field stateMachineArn)
check "create-state-machine answers the ARN" "arn:aws:states:us-east-1:000000000000:stateMachine:user-onboarding" "$sm"

user='{"user": {"userId": "user-12345", "email": "john.doe@example.com", "name": "John Doe", "signupDate": "2025-10-20T10:30:00Z", "source": "web_signup", "metadata": %s}}'

# Run one execution to its end; prints its ARN.
run() { # name metadata
	input=$(printf "$user" "$2")
	x=$(aws_ stepfunctions start-execution --state-machine-arn "$sm" --name "$1" --input "$input" | field executionArn)
	i=0
	while [ "$(aws_ stepfunctions describe-execution --execution-arn "$x" | field status)" = RUNNING ] && [ $i -lt 100 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	echo "$x"
}

# ---- with a referral code ------------------------------------------------
x=$(run with-referral '{"referralCode": "FRIEND2025", "country": "US"}')
check "the execution ARN" "arn:aws:states:us-east-1:000000000000:execution:user-onboarding:with-referral" "$x"
aws_ stepfunctions describe-execution --execution-arn "$x" >"$work/desc.json"
check "with referral: SUCCEEDED" SUCCEEDED "$(field status <"$work/desc.json")"
check "with referral: the output is lambda:invoke's result" '{"referralProcessed": true}' \
	"$(field output <"$work/desc.json" | field Payload)"
# What AWS emits for this workflow, event by event: the Pass state, two
# request-response tasks (Scheduled, Started, Succeeded each), the Choice,
# the lambda:invoke task, the end. Ids count from 1, each previousEventId
# is the event before it (one strand, no branches).
expected="ExecutionStarted
PassStateEntered
PassStateExited
TaskStateEntered
TaskScheduled
TaskStarted
TaskSucceeded
TaskStateExited
TaskStateEntered
TaskScheduled
TaskStarted
TaskSucceeded
TaskStateExited
ChoiceStateEntered
ChoiceStateExited
TaskStateEntered
TaskScheduled
TaskStarted
TaskSucceeded
TaskStateExited
ExecutionSucceeded"
aws_ stepfunctions get-execution-history --execution-arn "$x" >"$work/hist.json"
check "with referral: the history, event type by event type" "$expected" \
	"$(python3 -c 'import json,sys; print("\n".join(e["type"] for e in json.load(sys.stdin)["events"]))' <"$work/hist.json")"
check "with referral: ids and previousEventIds" "ok" "$(python3 -c '
import json,sys
ev = json.load(sys.stdin)["events"]
ok = all(e["id"] == i + 1 and e["previousEventId"] == i for i, e in enumerate(ev))
print("ok" if ok else [(e["id"], e["previousEventId"]) for e in ev])' <"$work/hist.json")"
check "with referral: assignedVariables on the Pass exit" '{"user": "{\"userId\":\"user-12345\",\"email\":\"john.doe@example.com\",\"name\":\"John Doe\",\"signupDate\":\"2025-10-20T10:30:00Z\",\"source\":\"web_signup\",\"metadata\":{\"referralCode\":\"FRIEND2025\",\"country\":\"US\"}}"}' \
	"$(python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["events"][2]["stateExitedEventDetails"]["assignedVariables"]))' <"$work/hist.json")"
check "with referral: TaskScheduled names the integration" "dynamodb putItem us-east-1" \
	"$(python3 -c 'import json,sys; d=json.load(sys.stdin)["events"][4]["taskScheduledEventDetails"]; print(d["resourceType"], d["resource"], d["region"])' <"$work/hist.json")"
check "reverse order starts at the end" ExecutionSucceeded \
	"$(aws_ stepfunctions get-execution-history --execution-arn "$x" --reverse-order --max-items 1 | field events.0.type)"
item=$(aws_ dynamodb get-item --table-name User --key '{"PK": {"S": "user-12345"}, "SK": {"S": "PROFILE"}}')
check "with referral: the item is stored" FRIEND2025 "$(echo "$item" | field Item.metadata.M.referralCode.S)"
msg=$(aws_ sqs receive-message --queue-url "$queue" --max-number-of-messages 10)
check "with referral: one UserOnboarded message" "UserOnboarded user-12345" \
	"$(echo "$msg" | python3 -c 'import json,sys; m=json.load(sys.stdin)["Messages"]; b=json.loads(m[0]["Body"]); print(len(m) == 1 and b["type"], b["userId"])')"

# ---- without a referral code: AWS fails the putItem Arguments ------------
x=$(run without-referral '{"country": "US"}')
aws_ stepfunctions describe-execution --execution-arn "$x" >"$work/desc.json"
check "without referral: FAILED" FAILED "$(field status <"$work/desc.json")"
check "without referral: States.QueryEvaluationError" States.QueryEvaluationError "$(field error <"$work/desc.json")"
check "without referral: the cause names the field" \
	"An error occurred while executing the state 'Save User Details' (entered at the event id #4). The JSONata expression '\$user.metadata.referralCode' specified for the field 'Arguments/Item/metadata/M/referralCode/S' returned nothing (undefined)." \
	"$(field cause <"$work/desc.json")"
check "without referral: history" "ExecutionStarted PassStateEntered PassStateExited TaskStateEntered EvaluationFailed ExecutionFailed" \
	"$(aws_ stepfunctions get-execution-history --execution-arn "$x" | python3 -c 'import json,sys; print(" ".join(e["type"] for e in json.load(sys.stdin)["events"]))')"

# ---- with an empty referral code: no action ------------------------------
x=$(run empty-referral '{"referralCode": "", "country": "US"}')
check "empty referral: SUCCEEDED" SUCCEEDED "$(aws_ stepfunctions describe-execution --execution-arn "$x" | field status)"
check "empty referral: ends in No Action" "No Action" \
	"$(aws_ stepfunctions get-execution-history --execution-arn "$x" --reverse-order | field events.1.stateExitedEventDetails.name)"
check "list-executions sees three" 3 \
	"$(aws_ stepfunctions list-executions --state-machine-arn "$sm" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["executions"]))')"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
