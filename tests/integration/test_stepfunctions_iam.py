"""test_stepfunctions_iam.py - executions call the services as their state machine's role.

The user-onboarding workflow (tests/data/asl/user-onboarding.asl.json) run
through boto3 against `stepbench serve` with roles registered through the IAM
API: the tutorial's first DynamoDB-only role fails at the SQS task with SQS's
access-denied error, the least-privilege role plus the function's resource
policy for states.amazonaws.com succeeds, a role denying lambda:InvokeFunction
fails at the Lambda task, a role that was never created is not enforced, and a
denial is caught by States.TaskFailed. TestState calls as its own roleArn.
"""
import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve import Server, wait_until  # noqa: E402

ACCOUNT = "000000000000"
HERE = os.path.dirname(os.path.abspath(__file__))
DEFINITION = os.path.join(HERE, "..", "data", "asl", "user-onboarding.asl.json")
QUEUE_ARN = "arn:aws:sqs:us-east-1:%s:user-onboarding" % ACCOUNT
TABLE_ARN = "arn:aws:dynamodb:us-east-1:%s:table/User" % ACCOUNT
FUNCTION_ARN = "arn:aws:lambda:us-east-1:%s:function:user-onboarding" % ACCOUNT
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"},
                                                  "Action": "sts:AssumeRole"}]}
# the console's first suggestion in the tutorial: DynamoDB only
DDB_ONLY = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
    "Resource": TABLE_ARN}]}
LEAST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": TABLE_ARN},
    {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": QUEUE_ARN},
    {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": [FUNCTION_ARN, FUNCTION_ARN + ":*"]}]}
DENY_LAMBDA = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["dynamodb:*", "sqs:*", "lambda:*"], "Resource": "*"},
    {"Effect": "Deny", "Action": "lambda:InvokeFunction", "Resource": "*"}]}
USER = {"user": {"userId": "user-12345", "email": "john.doe@example.com", "name": "John Doe",
                 "signupDate": "2025-10-20T10:30:00Z", "source": "web_signup",
                 "metadata": {"referralCode": "FRIEND2025", "country": "US"}}}
# Step Functions names the execution role's session with 32 letters
SESSION = r"[A-Za-z]{32}"


def sdk_v1_tail(service, code):
    """What Step Functions appends to a service error's message (AWS SDK for Java v1)."""
    return r" \(Service: %s; Status Code: 403; Error Code: %s; Request ID: [^;]+; Proxy: null\)" % (service, code)


class StepFunctionsIamTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().__enter__()
        s = cls.server
        cls.iam, cls.sfn, cls.lam = s.client("iam"), s.client("stepfunctions"), s.client("lambda")
        s.client("dynamodb").create_table(
            TableName="User", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"},
                                  {"AttributeName": "SK", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}])
        s.client("sqs").create_queue(QueueName="user-onboarding")
        cls.lam.create_function(FunctionName="user-onboarding", Role="arn:aws:iam::%s:role/fn" % ACCOUNT, Code={},
                                Environment={"Variables": {
                                    "STEPBENCH_BEHAVIOR": json.dumps({"returns": {"referralProcessed": True}})}})
        with open(DEFINITION) as f:
            cls.definition = f.read()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    # ---- helpers -------------------------------------------------------
    def role(self, name, policy=None, managed=None):
        arn = self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
        if policy:
            self.iam.put_role_policy(RoleName=name, PolicyName="inline", PolicyDocument=json.dumps(policy))
        if managed:
            parn = self.iam.create_policy(PolicyName=name + "-managed",
                                          PolicyDocument=json.dumps(managed))["Policy"]["Arn"]
            self.iam.attach_role_policy(RoleName=name, PolicyArn=parn)
        return arn

    def machine(self, name, role_arn, definition=None):
        return self.sfn.create_state_machine(name=name, roleArn=role_arn,
                                             definition=definition or self.definition)["stateMachineArn"]

    def run_to_end(self, sm, name, inp=USER):
        x = self.sfn.start_execution(stateMachineArn=sm, name=name, input=json.dumps(inp))["executionArn"]
        res = {}

        def done():
            res["d"] = self.sfn.describe_execution(executionArn=x)
            return res["d"]["status"] != "RUNNING"

        self.assertTrue(wait_until(done, 10.0), "the execution did not end")
        events = self.sfn.get_execution_history(executionArn=x, maxResults=1000)["events"]
        return res["d"], events

    def failed_task(self, events):
        """(state name, TaskFailed details) of the first failed task."""
        state = None
        for e in events:
            if e["type"] == "TaskStateEntered":
                state = e["stateEnteredEventDetails"]["name"]
            if e["type"] == "TaskFailed":
                return state, e["taskFailedEventDetails"]
        return None, None

    # ---- the tests -----------------------------------------------------
    def test_dynamodb_only_role_fails_at_the_sqs_task_with_access_denied(self):
        role = self.role("OnboardingDdbOnly", DDB_ONLY)
        sm = self.machine("onboarding-ddb-only", role)
        d, events = self.run_to_end(sm, "ddb-only")
        self.assertEqual(d["status"], "FAILED")
        state, tf = self.failed_task(events)
        self.assertEqual(state, "Send User Onboarded Event")
        self.assertEqual(tf["resourceType"], "sqs")
        self.assertEqual(tf["resource"], "sendMessage")
        self.assertEqual(tf["error"], "SQS.AmazonSQSException")
        self.assertRegex(tf["cause"], "^" + re.escape(
            "User: arn:aws:sts::%s:assumed-role/OnboardingDdbOnly/" % ACCOUNT) + SESSION + re.escape(
            " is not authorized to perform: sqs:sendmessage on resource: %s because no identity-based policy allows "
            "the sqs:sendmessage action" % QUEUE_ARN) + sdk_v1_tail("AmazonSQS", "AccessDenied") + "$")
        self.assertEqual((d["error"], d["cause"]), (tf["error"], tf["cause"]))
        # the DynamoDB task before it ran as the role and was allowed
        item = self.server.client("dynamodb").get_item(
            TableName="User", Key={"PK": {"S": "user-12345"}, "SK": {"S": "PROFILE"}})
        self.assertIn("Item", item)
        # the session is the execution's: the same role in another execution gets another one
        _, ev2 = self.run_to_end(sm, "ddb-only-again")
        s1 = re.search("assumed-role/OnboardingDdbOnly/(" + SESSION + ")", tf["cause"]).group(1)
        s2 = re.search("assumed-role/OnboardingDdbOnly/(" + SESSION + ")", self.failed_task(ev2)[1]["cause"]).group(1)
        self.assertNotEqual(s1, s2)

    def test_least_privilege_role_with_the_functions_permission_succeeds(self):
        role = self.role("OnboardingLeast", managed=LEAST)
        sm = self.machine("onboarding-least", role)
        self.lam.add_permission(FunctionName="user-onboarding", StatementId="sfn-least",
                                Action="lambda:InvokeFunction", Principal="states.amazonaws.com", SourceArn=sm)
        try:
            d, events = self.run_to_end(sm, "least")
        finally:
            self.lam.remove_permission(FunctionName="user-onboarding", StatementId="sfn-least")
        self.assertEqual(d["status"], "SUCCEEDED", d.get("cause"))
        self.assertEqual(json.loads(d["output"])["Payload"], {"referralProcessed": True})
        self.assertEqual([e["type"] for e in events].count("TaskSucceeded"), 3)

    def test_role_denying_invoke_fails_at_process_referral(self):
        role = self.role("OnboardingDenyLambda", DENY_LAMBDA)
        sm = self.machine("onboarding-deny-lambda", role)
        d, events = self.run_to_end(sm, "deny-lambda")
        self.assertEqual(d["status"], "FAILED")
        state, tf = self.failed_task(events)
        self.assertEqual(state, "Process Referral")
        self.assertEqual(tf["error"], "Lambda.AWSLambdaException")
        self.assertRegex(tf["cause"], "^" + re.escape(
            "User: arn:aws:sts::%s:assumed-role/OnboardingDenyLambda/" % ACCOUNT) + SESSION + re.escape(
            " is not authorized to perform: lambda:InvokeFunction on resource: %s with an explicit deny in an "
            "identity-based policy" % FUNCTION_ARN) + sdk_v1_tail("AWSLambda", "AccessDeniedException") + "$")
        types = [e["type"] for e in events]
        self.assertEqual(types.count("TaskSucceeded"), 2, types)

    def test_a_role_never_created_is_not_enforced(self):
        sm = self.machine("onboarding-no-role", "arn:aws:iam::%s:role/NeverCreated" % ACCOUNT)
        d, _ = self.run_to_end(sm, "no-role")
        self.assertEqual(d["status"], "SUCCEEDED", d.get("cause"))

    def test_a_denied_call_is_caught_by_states_task_failed(self):
        role = self.role("OnboardingCatch", {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": TABLE_ARN}]})
        definition = {"QueryLanguage": "JSONata", "StartAt": "Send", "States": {
            "Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                     "Arguments": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/%s/user-onboarding" % ACCOUNT,
                                   "MessageBody": "hello"},
                     "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Denied",
                                "Output": "{% $states.errorOutput %}"}],
                     "End": True},
            "Denied": {"Type": "Pass", "End": True}}}
        sm = self.machine("catch-denied", role, json.dumps(definition))
        d, _ = self.run_to_end(sm, "caught", {})
        self.assertEqual(d["status"], "SUCCEEDED", d.get("cause"))
        out = json.loads(d["output"])
        self.assertEqual(out["Error"], "SQS.AmazonSQSException")
        self.assertIn("is not authorized to perform: sqs:sendmessage", out["Cause"])

    def test_test_state_calls_as_its_role(self):
        role = self.role("TestStateDdbOnly", DDB_ONLY)
        state = {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                 "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/%s/user-onboarding" % ACCOUNT,
                                "MessageBody": "hi"}, "End": True}
        sync = self.server.client("stepfunctions", inject_host_prefix=False)
        r = sync.test_state(definition=json.dumps(state), roleArn=role, input="{}")
        self.assertEqual(r["status"], "FAILED")
        self.assertEqual(r["error"], "SQS.AmazonSQSException")
        self.assertIn("assumed-role/TestStateDdbOnly/", r["cause"])
        ok = sync.test_state(definition=json.dumps(state), roleArn=self.role("TestStateSend", {
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage",
                                                    "Resource": QUEUE_ARN}]}), input="{}")
        self.assertEqual(ok["status"], "SUCCEEDED", ok.get("cause"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
