# test_lambda.py - the Lambda mock through boto3 and raw HTTP against `stepbench serve`.
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
import zipfile


class Server(object):
    """stepbench serve on a free loopback port, with its own TMPDIR so the
    tests can see that no invocation directory is left behind."""

    def __init__(self, extra_env=None):
        self.binary = os.environ.get("STEPBENCH") or os.path.join(os.environ.get("BUILD", "build"), "stepbench")
        self.tmp = tempfile.mkdtemp(prefix="stepbench-lamtest-")
        env = dict(os.environ)
        env["TMPDIR"] = self.tmp
        env["STEPBENCH_TEST_SECRET"] = "server-only"
        env.update(extra_env or {})
        self.err_path = os.path.join(self.tmp, "serve.err")
        self.err = open(self.err_path, "wb")
        self.proc = subprocess.Popen([self.binary, "serve", "--port", "0"], stdout=subprocess.PIPE,
                                     stderr=self.err, env=env)
        line = self.proc.stdout.readline().decode()
        if "serving http://" not in line:
            self.stop()
            raise RuntimeError("stepbench serve did not start: %r" % line)
        self.url = line.split("serving ")[1].split()[0]

    def children(self):
        out = subprocess.run(["ps", "-o", "pid=,stat=,comm=", "--ppid", str(self.proc.pid)],
                             stdout=subprocess.PIPE).stdout.decode()
        return [l for l in out.splitlines() if l.strip()]

    def leftovers(self):
        return [n for n in os.listdir(self.tmp) if n.startswith("stepbench-lambda-")]

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.err.close()
        with open(self.err_path, "rb") as f:
            text = f.read().decode(errors="replace")
        if text.strip():  # whatever the server said (sanitizer reports...) belongs in the test's output
            print("stepbench serve stderr:\n" + text)
        shutil.rmtree(self.tmp, ignore_errors=True)


def http(url, method="GET", body=None, headers=None):
    """(status, headers, body bytes) of a raw request."""
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def make_zip(files, modes=None):
    """A zip (bytes) of {name: text}, deflated; modes gives unix permissions."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = ((modes or {}).get(name, 0o644) | 0o100000) << 16
            info.create_system = 3
            z.writestr(info, text)
    return buf.getvalue()


class Checks(object):
    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = []

    def run(self, fn, *args):
        try:
            fn(*args)
            self.passed += 1
            print("ok   %s" % fn.__name__)
        except Exception:
            self.failed.append(fn.__name__)
            print("FAIL %s\n%s" % (fn.__name__, traceback.format_exc()))
        sys.stdout.flush()

    def finish(self):
        print("%s: %d passed, %d failed" % (self.name, self.passed, len(self.failed)))
        if self.failed:
            print("failed: " + ", ".join(self.failed))
        return 1 if self.failed else 0


def eq(actual, expected, what=""):
    if actual != expected:
        raise AssertionError("%s: expected %r, got %r" % (what, expected, actual))


def wait_for(fn, timeout=10.0, what="condition"):
    end = time.time() + timeout
    while time.time() < end:
        v = fn()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def invocations(url, function):
    st, _, body = http(url + "/_stepbench/lambda/invocations?function=" + function)
    eq(st, 200, "invocations status")
    return json.loads(body)[function]


# ======================================================================
# The tests
# ======================================================================

import base64  # noqa: E402

import boto3  # noqa: E402
import botocore.config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

ROLE = "arn:aws:iam::000000000000:role/test"


def client(url):
    return boto3.client("lambda", endpoint_url=url, region_name="us-east-1", aws_access_key_id="x",
                        aws_secret_access_key="x",
                        config=botocore.config.Config(retries={"max_attempts": 1}, read_timeout=120))


def create_behavior(url, name, behavior, **extra):
    body = dict(FunctionName=name, Behavior=behavior, **extra)
    st, _, out = http(url + "/2015-03-31/functions", "POST", json.dumps(body), {"Content-Type": "application/json"})
    eq(st, 201, "CreateFunction %s: %s" % (name, out))
    return json.loads(out)


def error_code(fn):
    try:
        fn()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"].get("Message"), \
            e.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError("expected an error")


def t_returns_behavior(url, lam):
    cfg = create_behavior(url, "ret", {"returns": {"ok": True, "n": [1, 2]}})
    eq(cfg["FunctionArn"], "arn:aws:lambda:us-east-1:000000000000:function:ret", "arn")
    eq(cfg["State"], "Active", "state")
    r = lam.invoke(FunctionName="ret", Payload=b'{"userId": "u1"}')
    eq(r["StatusCode"], 200, "status")
    eq(r["ExecutedVersion"], "$LATEST", "executed version")
    eq("FunctionError" in r, False, "no function error")
    eq(json.loads(r["Payload"].read()), {"ok": True, "n": [1, 2]}, "payload")
    log = invocations(url, "ret")
    eq(len(log), 1, "one invocation")
    eq(log[0]["Payload"], {"userId": "u1"}, "logged payload")
    eq(log[0]["Result"], {"ok": True, "n": [1, 2]}, "logged result")
    eq(log[0]["RequestId"], r["ResponseMetadata"]["RequestId"], "request id")
    eq(log[0]["Qualifier"], "$LATEST", "qualifier")
    if not log[0]["Time"].endswith("Z"):
        raise AssertionError("time is not ISO-8601 UTC: " + log[0]["Time"])


def t_error_behavior_is_a_function_error(url, lam):
    create_behavior(url, "err", {"error": {"type": "ReferralError", "message": "no such code"}})
    r = lam.invoke(FunctionName="arn:aws:lambda:us-east-1:000000000000:function:err", Payload=b"{}")
    eq(r["StatusCode"], 200, "status")
    eq(r["FunctionError"], "Unhandled", "function error")
    eq(json.loads(r["Payload"].read()),
       {"errorMessage": "no such code", "errorType": "ReferralError", "stackTrace": []}, "payload")
    log = invocations(url, "err")
    eq(log[0]["Error"], {"errorType": "ReferralError", "errorMessage": "no such code"}, "logged error")
    eq(log[0]["FunctionError"], "Unhandled", "logged function error")


def t_service_error_behavior(url, lam):
    create_behavior(url, "busy", {"error": {"service": "Lambda.TooManyRequestsException", "message": "Rate Exceeded."}})
    code, msg, status = error_code(lambda: lam.invoke(FunctionName="busy", Payload=b"{}"))
    eq((code, msg, status), ("TooManyRequestsException", "Rate Exceeded.", 429), "service error")
    eq(invocations(url, "busy")[0]["Error"]["errorType"], "TooManyRequestsException", "logged")


def t_responses_behavior_by_invocation_number(url, lam):
    create_behavior(url, "seq", {"responses": [{"error": {"type": "Flaky", "message": "first"}}, {"n": 2},
                                               {"returns": {"n": 3}}]})
    got = []
    for _ in range(4):
        r = lam.invoke(FunctionName="seq", Payload=b"{}")
        got.append((r.get("FunctionError"), json.loads(r["Payload"].read())))
    eq(got[0][0], "Unhandled", "first fails")
    eq([g[1] for g in got[1:]], [{"n": 2}, {"n": 3}, {"n": 3}], "then the sequence, the last repeating")


def t_command_behavior(url, lam):
    create_behavior(url, "cmd", {"command": "echo handled >&2; python3 -c 'import json,sys; e=json.load(sys.stdin); "
                                            "print(json.dumps({\"doubled\": e[\"n\"] * 2}))'"})
    r = lam.invoke(FunctionName="cmd", Payload=b'{"n": 21}')
    eq(json.loads(r["Payload"].read()), {"doubled": 42}, "command result")
    eq(invocations(url, "cmd")[0]["Logs"], "handled\n", "stderr is the log")
    create_behavior(url, "cmdfail", {"command": "exit 3"})
    r = lam.invoke(FunctionName="cmdfail", Payload=b"{}")
    eq(r["FunctionError"], "Unhandled", "exit status")
    eq(json.loads(r["Payload"].read())["errorType"], "Runtime.ExitError", "error type")


def t_expression_behavior(url, lam):
    create_behavior(url, "expr", {"expression": "{'user': userId, 'n': $count(items)}"})
    r = lam.invoke(FunctionName="expr", Payload=b'{"userId": "u-7", "items": [1, 2, 3]}')
    eq(json.loads(r["Payload"].read()), {"user": "u-7", "n": 3}, "expression result")
    # deep recursion must end in an error answer, not take the server down
    create_behavior(url, "deep", {"expression": "($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(1000000))"})
    r = lam.invoke(FunctionName="deep", Payload=b"{}")
    eq(r.get("FunctionError"), "Unhandled", "runaway recursion is a function error")
    eq(json.loads(r["Payload"].read())["errorType"], "Stepbench.ExpressionError", "error type")
    st, hdrs, _ = http(url + "/2015-03-31/functions", "POST",
                       json.dumps({"FunctionName": "syntax", "Behavior": {"expression": "1 +"}}))
    eq((st, hdrs.get("x-amzn-ErrorType")), (400, "InvalidParameterValueException"), "syntax error at create")


def t_behavior_through_environment_variable(url, lam):
    lam.create_function(FunctionName="envb", Role=ROLE, Code={},
                        Environment={"Variables": {"STEPBENCH_BEHAVIOR": '{"returns": "from-env"}'}})
    r = lam.invoke(FunctionName="envb", Payload=b"{}")
    eq(json.loads(r["Payload"].read()), "from-env", "behaviour from the variable")


def t_unknown_function(url, lam):
    code, msg, status = error_code(lambda: lam.invoke(FunctionName="missing", Payload=b"{}"))
    eq((code, status), ("ResourceNotFoundException", 404), "error")
    # Invoke names the qualifier it looked for ($LATEST unless told), the
    # control-plane calls the bare ARN unless a Qualifier was asked
    eq(msg, "Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing:$LATEST", "message")
    code, msg, status = error_code(lambda: lam.invoke(FunctionName="missing", Qualifier="live", Payload=b"{}"))
    eq(msg, "Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing:live", "invoke alias message")
    code, msg, status = error_code(lambda: lam.get_function(FunctionName="missing"))
    eq((code, msg), ("ResourceNotFoundException",
                     "Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing"), "get message")
    code, msg, status = error_code(lambda: lam.update_function_configuration(FunctionName="missing", Timeout=3))
    eq(msg, "Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing", "update message")
    code, msg, status = error_code(lambda: lam.delete_function(FunctionName="missing"))
    eq(msg, "Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing", "delete message")
    code, msg, status = error_code(lambda: lam.get_function(FunctionName="missing", Qualifier="7"))
    eq(msg, "Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing:7", "qualified message")
    st, hdrs, body = http(url + "/2015-03-31/functions/missing", "GET")
    eq(st, 404, "raw status")
    eq(hdrs.get("x-amzn-ErrorType"), "ResourceNotFoundException", "error type header")
    eq(json.loads(body)["Type"], "User", "Type member")


def t_bad_requests(url, lam):
    st, hdrs, body = http(url + "/2015-03-31/functions", "POST", "{not json", {"Content-Type": "application/json"})
    eq((st, hdrs.get("x-amzn-ErrorType")), (400, "InvalidRequestContentException"), "bad body")
    create_behavior(url, "dup", {"returns": 1})
    code, msg, status = error_code(lambda: lam.create_function(FunctionName="dup", Role=ROLE, Code={},
                                                               Environment={"Variables": {
                                                                   "STEPBENCH_BEHAVIOR": '{"returns": 1}'}}))
    eq((code, msg, status), ("ResourceConflictException", "Function already exist: dup", 409), "conflict")
    code, _, status = error_code(lambda: lam.invoke(FunctionName="dup", Payload=b"{oops"))
    eq((code, status), ("InvalidRequestContentException", 400), "payload not JSON")
    code, msg, _ = error_code(lambda: lam.create_function(
        FunctionName="reserved", Role=ROLE, Runtime="python3.12", Handler="a.b",
        Code={"ZipFile": make_zip({"a.py": ""})}, Environment={"Variables": {"AWS_REGION": "x"}}))
    eq(code, "InvalidParameterValueException", "reserved variable")
    code, msg, _ = error_code(lambda: lam.create_function(
        FunctionName="badzip", Role=ROLE, Runtime="python3.12", Handler="a.b", Code={"ZipFile": b"not a zip"}))
    eq(code, "InvalidParameterValueException", "not a zip")


def t_get_list_delete(url, lam):
    create_behavior(url, "gl-a", {"returns": 1}, Description="first", Timeout=7, Tags={"team": "x"})
    create_behavior(url, "gl-b", {"returns": 2})
    g = lam.get_function(FunctionName="gl-a")
    eq(g["Configuration"]["Description"], "first", "description")
    eq(g["Configuration"]["Timeout"], 7, "timeout")
    eq(g["Tags"], {"team": "x"}, "tags")
    eq(lam.get_function_configuration(FunctionName="gl-b")["FunctionName"], "gl-b", "configuration")
    names = []
    marker = None
    while True:
        page = lam.list_functions(MaxItems=2, **({"Marker": marker} if marker else {}))
        names += [f["FunctionName"] for f in page["Functions"]]
        marker = page.get("NextMarker")
        if not marker:
            break
    if "gl-a" not in names or "gl-b" not in names or len(names) != len(set(names)):
        raise AssertionError("paginated list: %r" % names)
    lam.delete_function(FunctionName="gl-b")
    eq(error_code(lambda: lam.get_function(FunctionName="gl-b"))[0], "ResourceNotFoundException", "deleted")
    eq(lam.list_tags(Resource=g["Configuration"]["FunctionArn"])["Tags"], {"team": "x"}, "list tags")
    lam.tag_resource(Resource=g["Configuration"]["FunctionArn"], Tags={"env": "ci"})
    lam.untag_resource(Resource=g["Configuration"]["FunctionArn"], TagKeys=["team"])
    eq(lam.list_tags(Resource=g["Configuration"]["FunctionArn"])["Tags"], {"env": "ci"}, "tags changed")


PY_HANDLER = '''
import os, time
def handler(event, context):
    print("start", context.function_name, context.aws_request_id)
    if event.get("sleep"):
        time.sleep(event["sleep"])
    if event.get("fail"):
        raise ValueError("bad input: %s" % event["fail"])
    return {"event": event, "greeting": os.environ.get("GREETING"), "home": os.environ.get("HOME"),
            "secret": os.environ.get("STEPBENCH_TEST_SECRET"), "remaining": context.get_remaining_time_in_millis(),
            "arn": context.invoked_function_arn, "version": context.function_version,
            "cwd_is_task": os.getcwd() == os.environ["LAMBDA_TASK_ROOT"]}
'''


def t_python_handler_from_zip(url, lam):
    # 5 s: room for a cold python start on a loaded machine (under ASan)
    lam.create_function(FunctionName="py", Runtime="python3.12", Role=ROLE, Handler="app.handler", Timeout=5,
                        Code={"ZipFile": make_zip({"app.py": PY_HANDLER})},
                        Environment={"Variables": {"GREETING": "hello"}})
    r = lam.invoke(FunctionName="py", Payload=b'{"a": 1}', LogType="Tail")
    out = json.loads(r["Payload"].read())
    if r.get("FunctionError") or "event" not in out:
        raise AssertionError("the handler failed: %r" % out)
    eq(out["event"], {"a": 1}, "event")
    eq(out["greeting"], "hello", "environment variable")
    eq((out["home"], out["secret"]), (None, None), "only the function's environment")
    eq(out["arn"], "arn:aws:lambda:us-east-1:000000000000:function:py", "invoked arn")
    eq(out["version"], "$LATEST", "version")
    eq(out["cwd_is_task"], True, "cwd")
    if not 0 < out["remaining"] <= 5000:
        raise AssertionError("remaining time %r" % out["remaining"])
    tail = base64.b64decode(r["LogResult"]).decode()
    rid = r["ResponseMetadata"]["RequestId"]
    for needle in ("START RequestId: " + rid, "start py " + rid, "END RequestId: " + rid, "REPORT RequestId: " + rid):
        if needle not in tail:
            raise AssertionError("%r not in the log tail %r" % (needle, tail))
    log = invocations(url, "py")
    eq(log[-1]["Logs"], "start py %s\n" % rid, "printed lines in the invocation log")


BOTO_HANDLER = """
import os, boto3
def handler(event, context):
    lam = boto3.client("lambda", region_name=os.environ["AWS_REGION"])
    return lam.get_function(FunctionName="py")["Configuration"]["Handler"]
"""


def t_python_handler_calls_this_stepbench_through_boto3(url, lam):
    lam.create_function(FunctionName="boto", Runtime="python3.12", Role=ROLE, Handler="b.handler", Timeout=30,
                        Code={"ZipFile": make_zip({"b.py": BOTO_HANDLER})})
    r = lam.invoke(FunctionName="boto", Payload=b"{}")
    eq((r.get("FunctionError"), json.loads(r["Payload"].read())), (None, "app.handler"), "boto3 in the handler")


def t_python_handler_exception(url, lam):
    r = lam.invoke(FunctionName="py", Payload=b'{"fail": "x"}')
    eq(r["FunctionError"], "Unhandled", "function error")
    p = json.loads(r["Payload"].read())
    eq((p["errorType"], p["errorMessage"]), ("ValueError", "bad input: x"), "error")
    eq(p["requestId"], r["ResponseMetadata"]["RequestId"], "request id")
    if not p["stackTrace"] or 'File "/var/task/app.py", line 8, in handler' not in p["stackTrace"][0]:
        raise AssertionError("stack trace %r" % p["stackTrace"])


def t_python_handler_timeout(url, lam):
    t0 = time.time()
    r = lam.invoke(FunctionName="py", Payload=b'{"sleep": 30}')
    took = time.time() - t0
    if took > 15:
        raise AssertionError("the timeout was not enforced (%.1fs)" % took)
    eq(r["FunctionError"], "Unhandled", "function error")
    msg = json.loads(r["Payload"].read())["errorMessage"]
    if not msg.endswith(r["ResponseMetadata"]["RequestId"] + " Task timed out after 5.00 seconds"):
        raise AssertionError("timeout message %r" % msg)
    if "Task timed out after 5.00 seconds" not in invocations(url, "py")[-1]["Logs"]:
        raise AssertionError("timeout not in the log")


NODE_HANDLER = '''
exports.handler = async (event, context) => {
  console.log("node got", event.n);
  if (event.fail) throw new TypeError("nope");
  return { doubled: event.n * 2, fn: context.functionName, v: process.env.LEVEL,
           remaining: context.getRemainingTimeInMillis() > 0 };
};
'''

NODE_ESM = '''
export const handler = (event, context, callback) => { callback(null, {esm: true, id: context.awsRequestId}); };
'''


def t_node_handler(url, lam):
    lam.create_function(FunctionName="js", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                        Code={"ZipFile": make_zip({"index.js": NODE_HANDLER})},
                        Environment={"Variables": {"LEVEL": "debug"}})
    r = lam.invoke(FunctionName="js", Payload=b'{"n": 21}')
    eq(json.loads(r["Payload"].read()), {"doubled": 42, "fn": "js", "v": "debug", "remaining": True}, "result")
    logs = invocations(url, "js")[-1]["Logs"]
    if "\tINFO\tnode got 21\n" not in logs:
        raise AssertionError("console line %r" % logs)
    r = lam.invoke(FunctionName="js", Payload=b'{"fail": true}')
    p = json.loads(r["Payload"].read())
    eq((r["FunctionError"], p["errorType"], p["errorMessage"]), ("Unhandled", "TypeError", "nope"), "error")
    lam.create_function(FunctionName="mjs", Runtime="nodejs22.x", Role=ROLE, Handler="lib/main.handler",
                        Code={"ZipFile": make_zip({"lib/main.mjs": NODE_ESM})})
    r = lam.invoke(FunctionName="mjs", Payload=b"{}")
    p = json.loads(r["Payload"].read())
    eq((p["esm"], p["id"]), (True, r["ResponseMetadata"]["RequestId"]), "ES module with a callback")


def t_provided_runtime(url, lam):
    boot = "#!/bin/sh\nread ev\necho \"log line\" >&2\nprintf '{\"got\": %s}' \"$ev\"\n"
    lam.create_function(FunctionName="prov", Runtime="provided.al2023", Role=ROLE, Handler="x",
                        Code={"ZipFile": make_zip({"bootstrap": boot}, {"bootstrap": 0o755})})
    r = lam.invoke(FunctionName="prov", Payload=b'{"k": 1}')
    eq(json.loads(r["Payload"].read()), {"got": {"k": 1}}, "bootstrap result")
    eq(invocations(url, "prov")[-1]["Logs"], "log line\n", "bootstrap log")


def t_update_publish_alias_qualifier(url, lam):
    v1 = 'def h(e, c):\n    return "v1"\n'
    v2 = 'def h(e, c):\n    return "v2"\n'
    lam.create_function(FunctionName="ver", Runtime="python3.11", Role=ROLE, Handler="m.h",
                        Code={"ZipFile": make_zip({"m.py": v1})}, Publish=True)
    eq(lam.get_function(FunctionName="ver", Qualifier="1")["Configuration"]["Version"], "1", "published with create")
    upd = lam.update_function_code(FunctionName="ver", ZipFile=make_zip({"m.py": v2}))
    eq(upd["Version"], "$LATEST", "update answers $LATEST")
    cfg = lam.update_function_configuration(FunctionName="ver", Description="second", Timeout=5,
                                            Environment={"Variables": {"A": "b"}})
    eq((cfg["Description"], cfg["Timeout"], cfg["Environment"]["Variables"]), ("second", 5, {"A": "b"}), "config")
    pv = lam.publish_version(FunctionName="ver")
    eq(pv["Version"], "2", "second version")
    eq(pv["FunctionArn"], "arn:aws:lambda:us-east-1:000000000000:function:ver:2", "qualified arn")
    eq(lam.publish_version(FunctionName="ver")["Version"], "2", "unchanged $LATEST publishes nothing new")
    eq([v["Version"] for v in lam.list_versions_by_function(FunctionName="ver")["Versions"]],
       ["$LATEST", "1", "2"], "versions in order")
    a = lam.create_alias(FunctionName="ver", Name="live", FunctionVersion="1")
    eq(a["AliasArn"], "arn:aws:lambda:us-east-1:000000000000:function:ver:live", "alias arn")
    r = lam.invoke(FunctionName="ver", Qualifier="live", Payload=b"{}")
    eq((json.loads(r["Payload"].read()), r["ExecutedVersion"]), ("v1", "1"), "alias runs version 1")
    r = lam.invoke(FunctionName="ver:2", Payload=b"{}")
    eq((json.loads(r["Payload"].read()), r["ExecutedVersion"]), ("v2", "2"), "qualified name")
    lam.update_alias(FunctionName="ver", Name="live", FunctionVersion="2")
    eq(lam.get_alias(FunctionName="ver", Name="live")["FunctionVersion"], "2", "alias moved")
    eq([x["Name"] for x in lam.list_aliases(FunctionName="ver")["Aliases"]], ["live"], "aliases")
    code = error_code(lambda: lam.delete_function(FunctionName="ver", Qualifier="2"))[0]
    eq(code, "ResourceConflictException", "a version an alias uses cannot go")
    lam.delete_alias(FunctionName="ver", Name="live")
    lam.delete_function(FunctionName="ver", Qualifier="2")
    eq(error_code(lambda: lam.invoke(FunctionName="ver", Qualifier="2", Payload=b"{}"))[0],
       "ResourceNotFoundException", "version deleted")
    log = invocations(url, "ver")
    eq([(x["Qualifier"], x["ExecutedVersion"]) for x in log], [("live", "1"), ("2", "2")], "log qualifiers")
    code, msg, _ = error_code(lambda: lam.invoke(FunctionName="ver:1", Qualifier="2", Payload=b"{}"))
    eq(code, "InvalidParameterValueException", "conflicting qualifiers")


def t_event_and_dry_run(url, lam):
    create_behavior(url, "ev", {"command": "sleep 0.3; echo '\"done\"'"})
    t0 = time.time()
    r = lam.invoke(FunctionName="ev", InvocationType="Event", Payload=b'{"async": 1}')
    eq(r["StatusCode"], 202, "accepted")
    if time.time() - t0 > 0.25:
        raise AssertionError("Event waited for the function")
    r = lam.invoke(FunctionName="ev", InvocationType="DryRun", Payload=b"{}")
    eq(r["StatusCode"], 204, "dry run")
    log = invocations(url, "ev")  # waits for running Event invocations
    eq([(x["InvocationType"], x["Result"]) for x in log], [("Event", "done")], "the Event invocation is logged")
    eq(error_code(lambda: lam.invoke(FunctionName="nothere", InvocationType="DryRun"))[0],
       "ResourceNotFoundException", "dry run checks the function")


def t_no_leftovers(srv):
    wait_for(lambda: not srv.children(), 5, "no child processes")
    eq(srv.leftovers(), [], "temporary directories left behind")


def t_server_still_up(srv):
    eq(srv.alive(), True, "the server is still up")


def main():
    srv = Server()
    checks = Checks("test_lambda")
    try:
        lam = client(srv.url)
        for t in (t_returns_behavior, t_error_behavior_is_a_function_error, t_service_error_behavior,
                  t_responses_behavior_by_invocation_number, t_command_behavior, t_expression_behavior,
                  t_behavior_through_environment_variable, t_unknown_function, t_bad_requests, t_get_list_delete,
                  t_python_handler_from_zip, t_python_handler_calls_this_stepbench_through_boto3, t_python_handler_exception, t_python_handler_timeout, t_node_handler,
                  t_provided_runtime, t_update_publish_alias_qualifier, t_event_and_dry_run):
            checks.run(t, srv.url, lam)
        checks.run(t_no_leftovers, srv)
        checks.run(t_server_still_up, srv)
    finally:
        srv.stop()
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
