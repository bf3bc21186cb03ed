"""test_iam.py - the IAM subset (roles, inline and managed policies) through boto3 and the AWS CLI."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from serve import Server  # noqa: E402

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"},
                                                  "Action": "sts:AssumeRole"}]}
PUT_ONLY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:PutItem",
                                                     "Resource": "arn:aws:dynamodb:us-east-1:000000000000:table/User"}]}


class IamTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().__enter__()
        cls.iam = cls.server.client("iam")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_role_with_inline_and_managed_policies_round_trips(self):
        r = self.iam.create_role(RoleName="Onboarding", Path="/service-role/",
                                 AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]
        self.assertEqual(r["Arn"], "arn:aws:iam::000000000000:role/service-role/Onboarding")
        self.assertTrue(r["RoleId"].startswith("AROA"))
        self.assertEqual(r["AssumeRolePolicyDocument"], TRUST)
        self.iam.put_role_policy(RoleName="Onboarding", PolicyName="put", PolicyDocument=json.dumps(PUT_ONLY))
        got = self.iam.get_role_policy(RoleName="Onboarding", PolicyName="put")
        self.assertEqual(got["PolicyDocument"], PUT_ONLY)
        self.assertEqual(self.iam.list_role_policies(RoleName="Onboarding")["PolicyNames"], ["put"])
        arn = self.iam.create_policy(PolicyName="send", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage",
                                                     "Resource": "*"}]}))["Policy"]["Arn"]
        self.iam.attach_role_policy(RoleName="Onboarding", PolicyArn=arn)
        att = self.iam.list_attached_role_policies(RoleName="Onboarding")["AttachedPolicies"]
        self.assertEqual(att, [{"PolicyName": "send", "PolicyArn": arn}])
        self.assertEqual(self.iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"], 1)
        with self.assertRaises(self.iam.exceptions.DeleteConflictException):
            self.iam.delete_role(RoleName="Onboarding")
        with self.assertRaises(self.iam.exceptions.DeleteConflictException):
            self.iam.delete_policy(PolicyArn=arn)
        self.iam.detach_role_policy(RoleName="Onboarding", PolicyArn=arn)
        self.iam.delete_role_policy(RoleName="Onboarding", PolicyName="put")
        self.iam.delete_policy(PolicyArn=arn)
        self.iam.delete_role(RoleName="Onboarding")
        with self.assertRaises(self.iam.exceptions.NoSuchEntityException):
            self.iam.get_role(RoleName="Onboarding")

    def test_errors_come_back_in_iams_shape(self):
        with self.assertRaises(self.iam.exceptions.NoSuchEntityException) as e:
            self.iam.get_role(RoleName="Missing")
        self.assertEqual(e.exception.response["Error"]["Message"], "The role with name Missing cannot be found.")
        self.assertEqual(e.exception.response["ResponseMetadata"]["HTTPStatusCode"], 404)
        self.iam.create_role(RoleName="Twice", AssumeRolePolicyDocument=json.dumps(TRUST))
        with self.assertRaises(self.iam.exceptions.EntityAlreadyExistsException):
            self.iam.create_role(RoleName="Twice", AssumeRolePolicyDocument=json.dumps(TRUST))
        with self.assertRaises(self.iam.exceptions.MalformedPolicyDocumentException) as e:
            self.iam.put_role_policy(RoleName="Twice", PolicyName="bad", PolicyDocument=json.dumps(
                {"Statement": {"Effect": "Allow", "Action": "dynamodb:PutItem"}}))
        self.assertEqual(e.exception.response["Error"]["Message"], "Policy statement must contain resources.")

    def test_list_roles_paginates(self):
        for i in range(5):
            self.iam.create_role(RoleName="Page%d" % i, Path="/paged/", AssumeRolePolicyDocument=json.dumps(TRUST))
        names, marker = [], None
        while True:
            kw = {"PathPrefix": "/paged/", "MaxItems": 2}
            if marker:
                kw["Marker"] = marker
            page = self.iam.list_roles(**kw)
            names += [r["RoleName"] for r in page["Roles"]]
            if not page["IsTruncated"]:
                break
            marker = page["Marker"]
        self.assertEqual(names, ["Page%d" % i for i in range(5)])

    def test_lambda_permissions_add_read_and_remove(self):
        lam = self.server.client("lambda")
        lam.create_function(FunctionName="perm", Runtime="python3.12", Role="arn:aws:iam::000000000000:role/x",
                            Handler="h.h", Code={}, Environment={"Variables": {"STEPBENCH_BEHAVIOR": "{\"returns\": 1}"}})
        st = json.loads(lam.add_permission(
            FunctionName="perm", StatementId="sfn", Action="lambda:InvokeFunction",
            Principal="states.amazonaws.com",
            SourceArn="arn:aws:states:us-east-1:000000000000:stateMachine:onboarding")["Statement"])
        self.assertEqual(st["Principal"], {"Service": "states.amazonaws.com"})
        self.assertEqual(st["Resource"], "arn:aws:lambda:us-east-1:000000000000:function:perm")
        self.assertEqual(st["Condition"], {"ArnLike": {
            "AWS:SourceArn": "arn:aws:states:us-east-1:000000000000:stateMachine:onboarding"}})
        lam.add_permission(FunctionName="perm", StatementId="acct", Action="lambda:InvokeFunction",
                           Principal="000000000000")
        pol = json.loads(lam.get_policy(FunctionName="perm")["Policy"])
        self.assertEqual([s["Sid"] for s in pol["Statement"]], ["sfn", "acct"])
        self.assertEqual(pol["Statement"][1]["Principal"], {"AWS": "arn:aws:iam::000000000000:root"})
        with self.assertRaises(lam.exceptions.ResourceConflictException):
            lam.add_permission(FunctionName="perm", StatementId="sfn", Action="lambda:InvokeFunction",
                               Principal="states.amazonaws.com")
        lam.remove_permission(FunctionName="perm", StatementId="sfn")
        lam.remove_permission(FunctionName="perm", StatementId="acct")
        with self.assertRaises(lam.exceptions.ResourceNotFoundException) as e:
            lam.get_policy(FunctionName="perm")
        self.assertEqual(e.exception.response["Error"]["Message"], "The resource you requested does not exist.")
        with self.assertRaises(lam.exceptions.ResourceNotFoundException):
            lam.remove_permission(FunctionName="perm", StatementId="sfn")

    def test_aws_cli_creates_and_reads_a_role_policy(self):
        self.server.cli("iam", "create-role", "--role-name", "Cli", "--assume-role-policy-document", json.dumps(TRUST))
        self.server.cli("iam", "put-role-policy", "--role-name", "Cli", "--policy-name", "p",
                        "--policy-document", json.dumps(PUT_ONLY))
        _, out, _ = self.server.cli("iam", "get-role-policy", "--role-name", "Cli", "--policy-name", "p")
        self.assertEqual(json.loads(out)["PolicyDocument"], PUT_ONLY)
        code, _, err = self.server.cli("iam", "get-role", "--role-name", "Nope", check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("NoSuchEntity", err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
