"""test_stepfunctions.py - the Step Functions API through boto3 against `stepbench serve`.

State machines (create, idempotency, describe, update, list, delete, validation
messages), executions (start, describe, list with filters, stop, history with
pagination and reverseOrder), callbacks (.waitForTaskToken answered with
SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat), StartSyncExecution for
EXPRESS machines, ValidateStateMachineDefinition and TestState.
"""
import json
import os
import sys
import time

import botocore.exceptions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve import Server, wait_until  # noqa: E402

ROLE = "arn:aws:iam::000000000000:role/sfn"
FAILED = []


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else ": " + str(detail)))
    if not cond:
        FAILED.append(name)


def error_of(fn):
    try:
        fn()
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"]
    return None, None


def wait_done(sfn, arn, timeout=10.0):
    res = {}

    def done():
        res["d"] = sfn.describe_execution(executionArn=arn)
        return res["d"]["status"] != "RUNNING"

    wait_until(done, timeout)
    return res["d"]


def machine(sfn, name, definition, **kw):
    return sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE,
                                    **kw)["stateMachineArn"]


PASS = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"ok": 1}, "End": True}}}


def test_state_machines(sfn):
    arn = machine(sfn, "pass-machine", PASS)
    check("create answers the ARN", arn == "arn:aws:states:us-east-1:000000000000:stateMachine:pass-machine", arn)
    again = machine(sfn, "pass-machine", PASS)
    check("create is idempotent for the same definition", again == arn)
    code, _ = error_of(lambda: machine(sfn, "pass-machine", {**PASS, "Comment": "changed"}))
    check("a different definition under the same name is StateMachineAlreadyExists",
          code == "StateMachineAlreadyExists", code)
    d = sfn.describe_state_machine(stateMachineArn=arn)
    check("describe returns the definition", json.loads(d["definition"]) == PASS)
    check("describe returns type and status", d["type"] == "STANDARD" and d["status"] == "ACTIVE", d)
    upd = {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}
    sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(upd))
    check("update changes the definition",
          json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"]) == upd)
    machine(sfn, "other-machine", PASS)
    names = [m["name"] for m in sfn.list_state_machines()["stateMachines"]]
    check("list shows both machines", "pass-machine" in names and "other-machine" in names, names)
    page = sfn.list_state_machines(maxResults=1)
    check("list paginates", len(page["stateMachines"]) == 1 and "nextToken" in page, page)
    rest = sfn.list_state_machines(maxResults=1, nextToken=page["nextToken"])["stateMachines"]
    check("the next page holds the other machine", len(rest) == 1 and rest[0]["name"] != page["stateMachines"][0]["name"])
    code, msg = error_of(lambda: machine(sfn, "bad", {"StartAt": "X", "States": {"A": {"Type": "Pass", "End": True}}}))
    check("an invalid definition is InvalidDefinition with AWS's words",
          code == "InvalidDefinition" and "MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /StartAt" in msg,
          (code, msg))
    code, msg = error_of(lambda: sfn.create_state_machine(name="bad name", definition=json.dumps(PASS), roleArn=ROLE))
    check("a bad name is InvalidName", code == "InvalidName", code)
    code, _ = error_of(lambda: sfn.describe_state_machine(
        stateMachineArn="arn:aws:states:us-east-1:000000000000:stateMachine:nope"))
    check("an unknown machine is StateMachineDoesNotExist", code == "StateMachineDoesNotExist", code)
    sfn.delete_state_machine(stateMachineArn=arn)
    code, _ = error_of(lambda: sfn.describe_state_machine(stateMachineArn=arn))
    check("delete removes the machine", code == "StateMachineDoesNotExist", code)


def test_validate(sfn):
    r = sfn.validate_state_machine_definition(definition=json.dumps(PASS))
    check("a valid definition validates OK", r["result"] == "OK" and r["diagnostics"] == [], r)
    bad = {"QueryLanguage": "JSONata", "StartAt": "A",
           "States": {"A": {"Type": "Pass", "ResultPath": "$.x", "End": True}}}
    r = sfn.validate_state_machine_definition(definition=json.dumps(bad))
    d = r["diagnostics"][0] if r["diagnostics"] else {}
    check("a JSONPath field in a JSONata state fails validation with its location",
          r["result"] == "FAIL" and d.get("code") == "SCHEMA_VALIDATION_FAILED"
          and d.get("location") == "/States/A"
          and "only supported for the 'JSONPath' QueryLanguage" in d.get("message", ""), r)


def test_executions(sfn):
    wait_def = {"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 1, "Next": "P"},
        "P": {"Type": "Pass", "Parameters": {"in.$": "$", "name.$": "$$.Execution.Name"}, "End": True}}}
    arn = machine(sfn, "waiter", wait_def)
    x = sfn.start_execution(stateMachineArn=arn, name="first", input='{"a": 1}')["executionArn"]
    check("start answers the execution ARN", x == "arn:aws:states:us-east-1:000000000000:execution:waiter:first", x)
    running = sfn.describe_execution(executionArn=x)
    check("the execution runs asynchronously", running["status"] == "RUNNING", running["status"])
    d = wait_done(sfn, x)
    check("then succeeds", d["status"] == "SUCCEEDED", d)
    check("with its output", json.loads(d["output"]) == {"in": {"a": 1}, "name": "first"}, d.get("output"))
    check("and a stop date after one second", (d["stopDate"] - d["startDate"]).total_seconds() >= 1, d)
    code, _ = error_of(lambda: sfn.start_execution(stateMachineArn=arn, name="first", input='{"a": 2}'))
    check("a reused name is ExecutionAlreadyExists", code == "ExecutionAlreadyExists", code)
    code, _ = error_of(lambda: sfn.start_execution(stateMachineArn=arn, input="{not json"))
    check("bad input is InvalidExecutionInput", code == "InvalidExecutionInput", code)
    # history: pagination and reverse order
    ev = sfn.get_execution_history(executionArn=x)["events"]
    types = [e["type"] for e in ev]
    check("the history", types == ["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "PassStateEntered",
                                   "PassStateExited", "ExecutionSucceeded"], types)
    p1 = sfn.get_execution_history(executionArn=x, maxResults=4)
    p2 = sfn.get_execution_history(executionArn=x, maxResults=4, nextToken=p1["nextToken"])
    check("history pages", [e["id"] for e in p1["events"]] == [1, 2, 3, 4]
          and [e["id"] for e in p2["events"]] == [5, 6] and "nextToken" not in p2)
    rev = sfn.get_execution_history(executionArn=x, reverseOrder=True, maxResults=2)["events"]
    check("reverseOrder starts from the last event", [e["id"] for e in rev] == [6, 5], rev)
    check("timestamps are datetimes", ev[0]["timestamp"].year >= 2024, ev[0]["timestamp"])
    # stop a running execution
    long_arn = machine(sfn, "long-wait", {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600,
                                                                          "End": True}}})
    y = sfn.start_execution(stateMachineArn=long_arn, name="to-stop")["executionArn"]
    time.sleep(0.1)
    sfn.stop_execution(executionArn=y, error="Stopped", cause="by the test")
    d = wait_done(sfn, y)
    check("stop aborts the execution", d["status"] == "ABORTED", d["status"])
    hist = sfn.get_execution_history(executionArn=y)["events"]
    check("the history ends with ExecutionAborted", hist[-1]["type"] == "ExecutionAborted", hist[-1])
    # list with a status filter
    ls = sfn.list_executions(stateMachineArn=arn, statusFilter="SUCCEEDED")["executions"]
    check("list-executions filters by status", [e["name"] for e in ls] == ["first"], ls)
    code, _ = error_of(lambda: sfn.describe_execution(
        executionArn="arn:aws:states:us-east-1:000000000000:execution:waiter:nope"))
    check("an unknown execution is ExecutionDoesNotExist", code == "ExecutionDoesNotExist", code)


def test_callbacks(srv, sfn):
    sqs = srv.client("sqs")
    q = sqs.create_queue(QueueName="callbacks")["QueueUrl"]
    cb = {"StartAt": "Ask", "States": {"Ask": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "HeartbeatSeconds": 30,
        "Parameters": {"QueueUrl": q, "MessageBody": {"token.$": "$$.Task.Token", "n.$": "$.n"}},
        "Catch": [{"ErrorEquals": ["Refused"], "ResultPath": "$.err", "Next": "Refused"}],
        "End": True}, "Refused": {"Type": "Pass", "End": True}}}
    arn = machine(sfn, "callback", cb)

    def token():
        got = {}

        def poll():
            m = sqs.receive_message(QueueUrl=q, MaxNumberOfMessages=1).get("Messages", [])
            if m:
                got["b"] = json.loads(m[0]["Body"])
                sqs.delete_message(QueueUrl=q, ReceiptHandle=m[0]["ReceiptHandle"])
            return bool(m)

        wait_until(poll, 5)
        return got.get("b", {})

    x = sfn.start_execution(stateMachineArn=arn, input='{"n": 1}')["executionArn"]
    body = token()
    check("the token reaches the message", "token" in body and body.get("n") == 1, body)
    sfn.send_task_heartbeat(taskToken=body["token"])
    sfn.send_task_success(taskToken=body["token"], output='{"answer": 42}')
    d = wait_done(sfn, x)
    check("SendTaskSuccess resumes with its output", d["status"] == "SUCCEEDED"
          and json.loads(d["output"]) == {"answer": 42}, d)
    types = [e["type"] for e in sfn.get_execution_history(executionArn=x)["events"]]
    check("the callback history", types == ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                                            "TaskSubmitted", "TaskSucceeded", "TaskStateExited",
                                            "ExecutionSucceeded"], types)
    code, _ = error_of(lambda: sfn.send_task_success(taskToken=body["token"], output="{}"))
    check("answering a finished task is TaskTimedOut", code == "TaskTimedOut", code)
    x = sfn.start_execution(stateMachineArn=arn, input='{"n": 2}')["executionArn"]
    body = token()
    sfn.send_task_failure(taskToken=body["token"], error="Refused", cause="no")
    d = wait_done(sfn, x)
    check("SendTaskFailure is caught by its error name", d["status"] == "SUCCEEDED"
          and json.loads(d["output"])["err"] == {"Error": "Refused", "Cause": "no"}, d)
    code, _ = error_of(lambda: sfn.send_task_success(taskToken="not-a-token", output="{}"))
    check("a bad token is InvalidToken", code == "InvalidToken", code)


def test_express_and_test_state(srv, sfn):
    arn = machine(sfn, "express", {"StartAt": "A", "States": {"A": {"Type": "Pass", "QueryLanguage": "JSONata",
                                                                    "Output": "{% $states.input.v * 2 %}",
                                                                    "End": True}}}, type="EXPRESS")
    # StartSyncExecution's endpoint has a "sync-" host prefix on AWS
    sync = srv.client("stepfunctions", inject_host_prefix=False)
    r = sync.start_sync_execution(stateMachineArn=arn, input='{"v": 21}')
    check("StartSyncExecution answers the outcome", r["status"] == "SUCCEEDED" and r["output"] == "42", r)
    check("express execution ARNs", ":express:express:" in r["executionArn"], r["executionArn"])
    code, msg = error_of(lambda: machine(sfn, "express-cb", {"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": True}}},
        type="EXPRESS"))
    check("EXPRESS refuses .waitForTaskToken", code == "InvalidDefinition" and "waitForTaskToken" in msg, msg)
    t = sync.test_state(definition=json.dumps({"Type": "Pass", "Parameters": {"x.$": "$.a"}, "Next": "Later"}),
                       roleArn=ROLE, input='{"a": 5}')
    check("TestState runs one state", t["status"] == "SUCCEEDED" and json.loads(t["output"]) == {"x": 5}
          and t.get("nextState") == "Later", t)
    t = sync.test_state(definition=json.dumps({"Type": "Fail", "Error": "E", "Cause": "C"}), roleArn=ROLE)
    check("TestState reports a failure", t["status"] == "FAILED" and t["error"] == "E" and t["cause"] == "C", t)


def main():
    with Server() as srv:
        sfn = srv.client("stepfunctions")
        test_state_machines(sfn)
        test_validate(sfn)
        test_executions(sfn)
        test_callbacks(srv, sfn)
        test_express_and_test_state(srv, sfn)
    print("%d failed" % len(FAILED))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
