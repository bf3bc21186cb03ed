"""test_server.py - the HTTP front door under hostile input: every bad request
gets an AWS-shaped error and the server keeps serving."""
import http.client
import json
import os
import sys
import unittest
from urllib.parse import urlparse

sys.path.insert(0, os.path.dirname(__file__))
from serve import Server  # noqa: E402


class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().__enter__()
        u = urlparse(cls.server.url)
        cls.host, cls.port = u.hostname, u.port

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()  # fails the run if the server died meanwhile

    def request(self, method, path, body=b"", headers=None):
        c = http.client.HTTPConnection(self.host, self.port, timeout=30)
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, dict(r.getheaders()), data

    def ddb(self, body, op="ListTables"):
        return self.request("POST", "/", body, {"X-Amz-Target": "DynamoDB_20120810." + op,
                                                "Content-Type": "application/x-amz-json-1.0"})

    def assert_healthy(self):
        status, _, data = self.request("GET", "/_stepbench/health")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(data)["status"], "ok")

    def test_health_names_every_service(self):
        status, headers, data = self.request("GET", "/_stepbench/health")
        self.assertEqual(status, 200)
        h = json.loads(data)
        self.assertEqual(sorted(h["services"]), ["dynamodb", "iam", "lambda", "sqs", "states"])
        self.assertRegex(h["version"], r"^\d+\.\d+\.\d+$")

    def test_a_malformed_body_gets_serialization_exception_and_the_server_keeps_serving(self):
        for body in [b"{not json", b"[1,2", b"\xff\xfe", b"{\"a\": 1} trailing", b"[]", b"\"just a string\""]:
            status, headers, data = self.ddb(body)
            self.assertEqual(status, 400, body)
            err = json.loads(data)
            self.assertTrue(err["__type"].endswith("#SerializationException"), err)
            self.assertIn("x-amzn-RequestId", headers)
        self.assert_healthy()

    def test_deeply_nested_bodies_are_answered_not_crashed_on(self):
        for depth in (900, 5000, 200000):
            body = ("{\"a\":" + "[" * depth + "]" * depth + "}").encode()
            status, _, data = self.ddb(body)
            self.assertIn(status, (200, 400), depth)
        self.assert_healthy()

    def test_an_unknown_target_or_operation_is_refused_in_aws_shape(self):
        status, _, data = self.request("POST", "/", b"{}", {"X-Amz-Target": "NoSuchService_2020.Op"})
        self.assertEqual(status, 400)
        self.assertIn("UnknownOperationException", json.loads(data)["__type"])
        status, _, data = self.ddb(b"{}", op="FlyToTheMoon")
        self.assertEqual(status, 400)
        self.assertIn("UnknownOperationException", json.loads(data)["__type"])
        status, _, _ = self.request("GET", "/nothing/here")
        self.assertEqual(status, 404)
        self.assert_healthy()

    def test_faults_endpoint_injects_and_clears_errors(self):
        status, _, data = self.request("POST", "/_stepbench/faults", json.dumps(
            {"service": "dynamodb", "operation": "ListTables", "error": "ProvisionedThroughputExceededException",
             "count": 1}).encode())
        self.assertEqual(status, 200)
        status, _, data = self.ddb(b"{}")
        self.assertEqual(status, 400)
        self.assertIn("ProvisionedThroughputExceededException", json.loads(data)["__type"])
        status, _, data = self.ddb(b"{}")
        self.assertEqual(status, 200)
        status, _, data = self.request("POST", "/_stepbench/faults", b"{\"service\": 1}")
        self.assertEqual(status, 400)
        self.request("DELETE", "/_stepbench/faults")
        status, _, data = self.request("GET", "/_stepbench/faults")
        self.assertEqual(json.loads(data), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
