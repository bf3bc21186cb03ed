#!/bin/sh
# test_lambda_cli.sh - the Lambda mock through the AWS CLI against `stepbench serve`:
# create-function (behaviour and python zip), invoke, get-function, list-functions,
# update, publish, aliases, a timing-out handler, --log-type Tail.
set -u
STEPBENCH=${STEPBENCH:-build/stepbench}
work=$(mktemp -d "${TMPDIR:-/tmp}/stepbench-lamcli-XXXXXX")
srv_tmp="$work/srvtmp"
mkdir -p "$srv_tmp"
pid=
cleanup() {
	if [ -n "$pid" ]; then
		if kill -0 "$pid" 2>/dev/null; then
			kill "$pid"
			wait "$pid" 2>/dev/null
		else
			wait "$pid"
			echo "FAIL stepbench serve had died (exit status $?)"
		fi
	fi
	[ -s "$work/serve.err" ] && sed 's/^/serve: /' "$work/serve.err"
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

TMPDIR="$srv_tmp" "$STEPBENCH" serve --port 0 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
i=0
while ! grep -q 'serving http://' "$work/serve.out" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "stepbench serve did not start" >&2
		cat "$work/serve.err" >&2
		exit 1
	fi
	sleep 0.05
done
url=$(sed -n 's/.*serving \(http:[^ ]*\).*/\1/p' "$work/serve.out")

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
lam() { aws --endpoint-url "$url" --output json lambda "$@"; }
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

# ---- a function with a behaviour (the CLI passes it in the environment) ----
out=$(lam create-function --function-name greeter --role arn:aws:iam::000000000000:role/r \
	--code '{}' --environment '{"Variables": {"STEPBENCH_BEHAVIOR": "{\"returns\": {\"hello\": \"world\"}}"}}')
check "create-function answers the ARN" "arn:aws:lambda:us-east-1:000000000000:function:greeter" \
	"$(echo "$out" | field FunctionArn)"
lam invoke --function-name greeter --payload '{"x":1}' "$work/out.json" >"$work/meta.json"
check "invoke writes the payload" '{"hello":"world"}' "$(cat "$work/out.json")"
check "invoke answers 200" 200 "$(field StatusCode <"$work/meta.json")"
check "invoke answers the executed version" '$LATEST' "$(field ExecutedVersion <"$work/meta.json")"
check "get-function" greeter "$(lam get-function --function-name greeter | field Configuration.FunctionName)"

# ---- a python handler from a zip ----
cat >"$work/app.py" <<'EOF'
import time
def handler(event, context):
    print("processing", event.get("id"))
    if event.get("slow"):
        time.sleep(10)
    return {"id": event.get("id"), "by": context.function_name}
EOF
(cd "$work" && python3 -c 'import zipfile; z = zipfile.ZipFile("app.zip", "w", zipfile.ZIP_DEFLATED); z.write("app.py"); z.close()')
out=$(lam create-function --function-name pyfn --runtime python3.12 --handler app.handler \
	--role arn:aws:iam::000000000000:role/r --zip-file "fileb://$work/app.zip" --timeout 1)
check "create-function with a zip" python3.12 "$(echo "$out" | field Runtime)"
lam invoke --function-name pyfn --payload '{"id":"u-1"}' --log-type Tail "$work/out.json" >"$work/meta.json"
check "the python handler answers" '{"by": "pyfn", "id": "u-1"}' "$(field . <"$work/out.json" 2>/dev/null || python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), sort_keys=True))' "$work/out.json")"
tail_log=$(field LogResult <"$work/meta.json" | base64 -d)
case $tail_log in
*"processing u-1"*REPORT*) check "--log-type Tail carries the printed line" yes yes ;;
*) check "--log-type Tail carries the printed line" "processing u-1" "$tail_log" ;;
esac
lam invoke --function-name pyfn --payload '{"slow":true}' "$work/out.json" >"$work/meta.json"
check "a timing-out handler is a function error" Unhandled "$(field FunctionError <"$work/meta.json")"
case $(cat "$work/out.json") in
*"Task timed out after 1.00 seconds"*) check "the timeout message" yes yes ;;
*) check "the timeout message" "Task timed out after 1.00 seconds" "$(cat "$work/out.json")" ;;
esac

# ---- list, update, publish, alias, qualifier ----
names=$(lam list-functions | python3 -c 'import json,sys; print(" ".join(sorted(f["FunctionName"] for f in json.load(sys.stdin)["Functions"])))')
check "list-functions" "greeter pyfn" "$names"
sed -i 's/"by": context.function_name/"by": "v2"/' "$work/app.py"
(cd "$work" && python3 -c 'import zipfile; z = zipfile.ZipFile("app.zip", "w", zipfile.ZIP_DEFLATED); z.write("app.py"); z.close()')
lam update-function-code --function-name pyfn --zip-file "fileb://$work/app.zip" --publish >"$work/meta.json"
check "update-function-code --publish makes version 1" 1 "$(field Version <"$work/meta.json")"
lam update-function-configuration --function-name pyfn --timeout 5 --environment 'Variables={MODE=x}' >"$work/meta.json"
check "update-function-configuration" 5 "$(field Timeout <"$work/meta.json")"
check "publish-version" 2 "$(lam publish-version --function-name pyfn | field Version)"
check "create-alias" "arn:aws:lambda:us-east-1:000000000000:function:pyfn:prod" \
	"$(lam create-alias --function-name pyfn --name prod --function-version 1 | field AliasArn)"
lam invoke --function-name pyfn --qualifier prod --payload '{"id":"q"}' "$work/out.json" >"$work/meta.json"
check "invoke through an alias" 1 "$(field ExecutedVersion <"$work/meta.json")"
check "get-function-configuration by alias" 1 \
	"$(lam get-function-configuration --function-name pyfn --qualifier prod | field Version)"
check "list-versions-by-function" 3 \
	"$(lam list-versions-by-function --function-name pyfn | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["Versions"]))')"

# ---- errors and deletion ----
err=$(lam get-function --function-name nope 2>&1 >/dev/null)
case $err in
*"ResourceNotFoundException"*"Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope"*)
	check "unknown function" yes yes ;;
*) check "unknown function" ResourceNotFoundException "$err" ;;
esac
err=$(lam invoke --function-name nope "$work/out.json" 2>&1 >/dev/null)
case $err in
*"ResourceNotFoundException"*'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope:$LATEST'*)
	check "invoking an unknown function names \$LATEST" yes yes ;;
*) check "invoking an unknown function names \$LATEST" 'function:nope:$LATEST' "$err" ;;
esac
lam delete-alias --function-name pyfn --name prod && lam delete-function --function-name pyfn
check "delete-function" 1 "$(lam list-functions | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["Functions"]))')"

# ---- the invocation log ----
n=$(python3 -c 'import json,sys,urllib.request; print(len(json.load(urllib.request.urlopen(sys.argv[1] + "/_stepbench/lambda/invocations?function=pyfn"))["pyfn"]))' "$url")
check "the invocation log keeps deleted functions' invocations" 3 "$n"
left=$(ls "$srv_tmp" | grep -c stepbench-lambda-)
check "no invocation directory left behind" 0 "$left"

echo "test_lambda_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
