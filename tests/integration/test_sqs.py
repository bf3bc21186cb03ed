"""test_sqs.py - the SQS mock over the JSON protocol, through the AWS CLI and boto3.

botocore does not check SQS digests itself, so every MD5 the server answers
is recomputed here from what was sent, with AWS's documented encoding
(md5_of_attributes), and compared.
"""
import base64
import hashlib
import json
import os
import struct
import sys
import threading
import time
import unittest

import botocore.exceptions

sys.path.insert(0, os.path.dirname(__file__))
from serve import Server  # noqa: E402


def md5_of_attributes(attrs):
    """AWS's MD5OfMessageAttributes: sorted names; length-prefixed name, type,
    a transport byte (1 String/Number, 2 Binary) and length-prefixed value."""
    if not attrs:
        return None
    buf = b""
    for name in sorted(attrs):
        a = attrs[name]
        dt = a["DataType"]
        buf += struct.pack(">I", len(name.encode())) + name.encode()
        buf += struct.pack(">I", len(dt.encode())) + dt.encode()
        if dt.split(".")[0] == "Binary":
            v = a["BinaryValue"]
            if isinstance(v, str):
                v = base64.b64decode(v)
            buf += b"\x02" + struct.pack(">I", len(v)) + v
        else:
            v = a["StringValue"].encode()
            buf += b"\x01" + struct.pack(">I", len(v)) + v
    return hashlib.md5(buf).hexdigest()


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


class Md5Mismatch(AssertionError):
    pass


class DigestChecker:
    """Checks every SQS answer's digests on a boto3 client, as the SDKs that
    verify them do (the Java SDK's MessageMD5ChecksumHandler, the JS SDK's
    md5 middleware): SendMessage and each SendMessageBatch success against
    what was sent, every received message against what it carries. The
    installed botocore verifies none itself, so this hook stands in for it;
    a mismatch raises at the call, and `checked` counts digests compared so
    a run can show the hook really saw answers."""

    def __init__(self, client):
        self.checked = 0
        client.meta.events.register("before-parameter-build.sqs.*", self._remember)
        client.meta.events.register("after-call.sqs.*", self._check)

    @staticmethod
    def _remember(params, context, **_):
        context["digest_params"] = dict(params)

    def _same(self, what, got, want):
        self.checked += 1
        if got != want:
            raise Md5Mismatch("%s: the server answered %r, the content digests to %r" % (what, got, want))

    def _sent(self, what, answer, sent):
        self._same(what + " MD5OfMessageBody", answer.get("MD5OfMessageBody"), md5(sent["MessageBody"]))
        self._same(what + " MD5OfMessageAttributes", answer.get("MD5OfMessageAttributes"),
                   md5_of_attributes(sent.get("MessageAttributes")))
        self._same(what + " MD5OfMessageSystemAttributes", answer.get("MD5OfMessageSystemAttributes"),
                   md5_of_attributes(sent.get("MessageSystemAttributes")))

    def _check(self, http_response, parsed, model, context, **_):
        if http_response.status_code >= 300 or "Error" in parsed:
            return
        params = context.get("digest_params", {})
        if model.name == "SendMessage":
            self._sent("SendMessage", parsed, params)
        elif model.name == "SendMessageBatch":
            entries = {e["Id"]: e for e in params.get("Entries", [])}
            for ok in parsed.get("Successful", []):
                self._sent("SendMessageBatch entry " + ok["Id"], ok, entries[ok["Id"]])
        elif model.name == "ReceiveMessage":
            for m in parsed.get("Messages", []):
                self._same("ReceiveMessage MD5OfBody", m.get("MD5OfBody"), md5(m["Body"]))
                self._same("ReceiveMessage MD5OfMessageAttributes", m.get("MD5OfMessageAttributes"),
                           md5_of_attributes(m.get("MessageAttributes")))


class SqsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().__enter__()
        cls.sqs = cls.server.client("sqs")
        cls.digests = DigestChecker(cls.sqs)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        # every test's SQS answers went through the checker: it must have seen them
        print("test_sqs: %d digests checked on every answer" % cls.digests.checked)
        assert cls.digests.checked >= 50, cls.digests.checked

    def queue(self, name, **attrs):
        return self.sqs.create_queue(QueueName=name, Attributes={k: str(v) for k, v in attrs.items()})["QueueUrl"]

    def cli_json(self, *args):
        _, out, _ = self.server.cli("sqs", *args)
        return json.loads(out) if out.strip() else {}

    # ---- the AWS CLI ----------------------------------------------------

    def test_cli_round_trip(self):
        url = self.cli_json("create-queue", "--queue-name", "cli-q")["QueueUrl"]
        self.assertEqual(url, self.server.url + "/000000000000/cli-q")
        self.assertEqual(self.cli_json("get-queue-url", "--queue-name", "cli-q")["QueueUrl"], url)
        self.assertIn(url, self.cli_json("list-queues", "--queue-name-prefix", "cli-")["QueueUrls"])
        body = '{"type": "UserOnboarded", "userId": "user-12345"}'
        sent = self.cli_json("send-message", "--queue-url", url, "--message-body", body)
        self.assertEqual(sent["MD5OfMessageBody"], md5(body))
        attrs = self.cli_json("get-queue-attributes", "--queue-url", url, "--attribute-names", "All")["Attributes"]
        self.assertEqual(attrs["ApproximateNumberOfMessages"], "1")
        self.assertEqual(attrs["QueueArn"], "arn:aws:sqs:us-east-1:000000000000:cli-q")
        got = self.cli_json("receive-message", "--queue-url", url, "--attribute-names", "All")["Messages"]
        self.assertEqual(len(got), 1)
        self.assertEqual(got[0]["Body"], body)
        self.assertEqual(got[0]["MessageId"], sent["MessageId"])
        self.assertEqual(got[0]["MD5OfBody"], md5(body))
        self.assertEqual(got[0]["Attributes"]["ApproximateReceiveCount"], "1")
        self.cli_json("delete-message", "--queue-url", url, "--receipt-handle", got[0]["ReceiptHandle"])
        attrs = self.cli_json("get-queue-attributes", "--queue-url", url, "--attribute-names",
                              "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")["Attributes"]
        self.assertEqual(attrs, {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"})
        self.assertEqual(self.cli_json("receive-message", "--queue-url", url), {})

    def test_cli_reports_a_missing_queue_with_the_legacy_code(self):
        rc, _, err = self.server.cli("sqs", "get-queue-url", "--queue-name", "nope", check=False)
        self.assertNotEqual(rc, 0)
        self.assertIn("AWS.SimpleQueueService.NonExistentQueue", err)
        self.assertIn("The specified queue does not exist", err)

    # ---- boto3 ------------------------------------------------------------

    def test_missing_queue_error_shape(self):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.send_message(QueueUrl=self.server.url + "/000000000000/absent", MessageBody="x")
        e = cm.exception.response
        self.assertEqual(e["Error"]["Code"], "AWS.SimpleQueueService.NonExistentQueue")
        self.assertEqual(e["Error"]["Type"], "Sender")
        self.assertEqual(e["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertEqual(e["ResponseMetadata"]["HTTPHeaders"]["x-amzn-query-error"],
                         "AWS.SimpleQueueService.NonExistentQueue;Sender")

    def test_console_url_of_any_host_finds_the_queue(self):
        self.queue("user-onboarding")
        url = "https://sqs.us-east-1.amazonaws.com/000000000000/user-onboarding"
        self.sqs.send_message(QueueUrl=url, MessageBody="hello")
        got = self.sqs.receive_message(QueueUrl=url)["Messages"]
        self.assertEqual(got[0]["Body"], "hello")
        # but not another account's: the server is one account
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.send_message(QueueUrl=url.replace("000000000000", "111111111111"), MessageBody="x")
        self.assertEqual(cm.exception.response["Error"]["Code"], "AWS.SimpleQueueService.NonExistentQueue")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.get_queue_url(QueueName="user-onboarding", QueueOwnerAWSAccountId="111111111111")
        self.assertEqual(cm.exception.response["Error"]["Code"], "AWS.SimpleQueueService.NonExistentQueue")

    def test_message_attributes_md5s_match_aws_encoding(self):
        url = self.queue("attrs")
        attrs = {
            "s": {"DataType": "String", "StringValue": "héllo wörld"},
            "n": {"DataType": "Number.float", "StringValue": "4563442423554324324264524243.32543234"},
            "b": {"DataType": "Binary.gz", "BinaryValue": b"\x00\x01binary\xff"},
            "custom": {"DataType": "String.json", "StringValue": "{}"},
        }
        sysattrs = {"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793"}}
        r = self.sqs.send_message(QueueUrl=url, MessageBody="body ✓", MessageAttributes=attrs,
                                  MessageSystemAttributes=sysattrs)
        self.assertEqual(r["MD5OfMessageBody"], md5("body ✓"))
        self.assertEqual(r["MD5OfMessageAttributes"], md5_of_attributes(attrs))
        self.assertEqual(r["MD5OfMessageSystemAttributes"], md5_of_attributes(sysattrs))
        m = self.sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"],
                                     MessageSystemAttributeNames=["All"])["Messages"][0]
        self.assertEqual(m["MD5OfBody"], md5("body ✓"))
        self.assertEqual(m["MessageAttributes"]["b"]["BinaryValue"], b"\x00\x01binary\xff")
        self.assertEqual(m["MD5OfMessageAttributes"], md5_of_attributes(m["MessageAttributes"]))
        self.assertEqual(m["MD5OfMessageAttributes"], md5_of_attributes(attrs))
        self.assertEqual(m["Attributes"]["AWSTraceHeader"], sysattrs["AWSTraceHeader"]["StringValue"])
        # a filtered receive digests only the attributes it returns
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)
        m = self.sqs.receive_message(QueueUrl=url, MessageAttributeNames=["s", "cust.*"])["Messages"][0]
        self.assertEqual(sorted(m["MessageAttributes"]), ["s"])
        self.assertEqual(m["MD5OfMessageAttributes"], md5_of_attributes({"s": attrs["s"]}))

    def test_invalid_attributes_are_rejected(self):
        url = self.queue("bad-attrs")
        cases = [
            {"AWS.x": {"DataType": "String", "StringValue": "v"}},
            {"n": {"DataType": "Number", "StringValue": "abc"}},
            {"n": {"DataType": "Integer", "StringValue": "1"}},
            {"s": {"DataType": "String", "BinaryValue": b"x"}},
        ]
        for attrs in cases:
            with self.assertRaises(botocore.exceptions.ClientError, msg=attrs) as cm:
                self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageAttributes=attrs)
            self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidParameterValue")

    def test_body_limits(self):
        url = self.queue("limits")
        self.sqs.send_message(QueueUrl=url, MessageBody="x" * 262144)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.send_message(QueueUrl=url, MessageBody="x" * 262145)
        self.assertIn("Message must be shorter than 262144 bytes", str(cm.exception))
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.send_message(QueueUrl=url, MessageBody="bad \x01 char")
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidMessageContents")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.send_message(QueueUrl=url, MessageBody="")
        self.assertEqual(cm.exception.response["Error"]["Code"], "MissingParameter")

    def test_create_queue_is_idempotent_for_equal_attributes(self):
        a = self.queue("idem", VisibilityTimeout=40)
        self.assertEqual(self.queue("idem", VisibilityTimeout=40), a)
        self.assertEqual(self.queue("idem"), a)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.queue("idem", VisibilityTimeout=41)
        self.assertEqual(cm.exception.response["Error"]["Code"], "QueueAlreadyExists")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.queue("bad name!")
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidParameterValue")

    def test_queue_attributes_set_get_and_validate(self):
        url = self.queue("qattrs", DelaySeconds=5)
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "120",
                                                                "MaximumMessageSize": "1024"})
        a = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual((a["VisibilityTimeout"], a["MaximumMessageSize"], a["DelaySeconds"]), ("120", "1024", "5"))
        self.assertTrue(a["CreatedTimestamp"].isdigit())
        a = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["DelaySeconds"])["Attributes"]
        self.assertEqual(a, {"DelaySeconds": "5"})
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "43201"})
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidAttributeValue")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"Bogus": "1"})
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidAttributeName")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.send_message(QueueUrl=url, MessageBody="y" * 1025)
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidParameterValue")

    def test_list_queues_prefix_and_pagination(self):
        urls = [self.queue("page-%02d" % i) for i in range(5)]
        got, token = [], None
        while True:
            kw = {"QueueNamePrefix": "page-", "MaxResults": 2}
            if token:
                kw["NextToken"] = token
            r = self.sqs.list_queues(**kw)
            got += r.get("QueueUrls", [])
            token = r.get("NextToken")
            if not token:
                break
        self.assertEqual(got, urls)
        self.assertNotIn("QueueUrls", self.sqs.list_queues(QueueNamePrefix="no-such-prefix"))
        self.assertTrue(set(urls) <= set(self.sqs.list_queues()["QueueUrls"]))

    def test_delete_and_purge_queue(self):
        url = self.queue("doomed")
        self.sqs.send_message(QueueUrl=url, MessageBody="a")
        self.sqs.purge_queue(QueueUrl=url)
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.purge_queue(QueueUrl=url)
        self.assertEqual(cm.exception.response["Error"]["Code"], "AWS.SimpleQueueService.PurgeQueueInProgress")
        self.sqs.delete_queue(QueueUrl=url)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.get_queue_url(QueueName="doomed")
        self.assertEqual(cm.exception.response["Error"]["Code"], "AWS.SimpleQueueService.NonExistentQueue")

    def test_tags(self):
        url = self.sqs.create_queue(QueueName="tagged", tags={"team": "growth"})["QueueUrl"]
        self.sqs.tag_queue(QueueUrl=url, Tags={"env": "test", "team": "core"})
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"team": "core", "env": "test"})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["team"])
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"env": "test"})

    def test_visibility_timeout_and_receive_count(self):
        url = self.queue("vis")
        self.sqs.send_message(QueueUrl=url, MessageBody="m")
        m1 = self.sqs.receive_message(QueueUrl=url, VisibilityTimeout=1, AttributeNames=["All"])["Messages"][0]
        self.assertEqual(m1["Attributes"]["ApproximateReceiveCount"], "1")
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))
        time.sleep(1.1)
        m2 = self.sqs.receive_message(QueueUrl=url, AttributeNames=["All"])["Messages"][0]
        self.assertEqual(m2["Attributes"]["ApproximateReceiveCount"], "2")
        self.assertNotEqual(m1["ReceiptHandle"], m2["ReceiptHandle"])
        # a stale handle deletes nothing and cannot change visibility
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m1["ReceiptHandle"])
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m1["ReceiptHandle"], VisibilityTimeout=0)
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidParameterValue")
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m2["ReceiptHandle"], VisibilityTimeout=0)
        m3 = self.sqs.receive_message(QueueUrl=url, AttributeNames=["All"])["Messages"][0]
        self.assertEqual(m3["Attributes"]["ApproximateReceiveCount"], "3")
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m3["ReceiptHandle"])
        a = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(a["ApproximateNumberOfMessages"], "0")
        self.assertEqual(a["ApproximateNumberOfMessagesNotVisible"], "0")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.delete_message(QueueUrl=url, ReceiptHandle="garbage")
        self.assertEqual(cm.exception.response["Error"]["Code"], "ReceiptHandleIsInvalid")

    def test_delay_seconds_per_queue_and_per_message(self):
        url = self.queue("delayed", DelaySeconds=1)
        self.sqs.send_message(QueueUrl=url, MessageBody="queue-delay")
        self.sqs.send_message(QueueUrl=url, MessageBody="no-delay", DelaySeconds=0)
        a = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessagesDelayed"])
        self.assertEqual(a["Attributes"]["ApproximateNumberOfMessagesDelayed"], "1")
        got = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        self.assertEqual([m["Body"] for m in got], ["no-delay"])
        got = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=3)["Messages"]
        self.assertEqual([m["Body"] for m in got], ["queue-delay"])

    def test_long_poll_returns_as_soon_as_a_message_arrives(self):
        url = self.queue("longpoll")
        t = threading.Timer(0.5, lambda: self.server.client("sqs").send_message(QueueUrl=url, MessageBody="late"))
        start = time.time()
        t.start()
        got = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=10)
        took = time.time() - start
        t.join()
        self.assertEqual(got["Messages"][0]["Body"], "late")
        self.assertGreaterEqual(took, 0.4)
        self.assertLess(took, 3.0)
        start = time.time()
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1))
        self.assertGreaterEqual(time.time() - start, 0.9)

    def test_long_poll_does_not_block_other_writers(self):
        url = self.queue("poll-other")
        other = self.queue("poll-other-2")
        t = threading.Thread(target=lambda: self.server.client("sqs").receive_message(QueueUrl=url, WaitTimeSeconds=2))
        t.start()
        time.sleep(0.2)
        start = time.time()
        self.sqs.send_message(QueueUrl=other, MessageBody="x")
        self.sqs.create_queue(QueueName="poll-other-3")
        self.assertLess(time.time() - start, 1.0)
        t.join()

    def test_receive_parameter_errors(self):
        url = self.queue("params")
        for kw in ({"MaxNumberOfMessages": 11}, {"WaitTimeSeconds": 21}, {"VisibilityTimeout": -1}):
            with self.assertRaises(botocore.exceptions.ClientError, msg=kw) as cm:
                self.sqs.receive_message(QueueUrl=url, **kw)
            self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidParameterValue")

    def test_batches_report_each_entry(self):
        url = self.queue("batch")
        r = self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": "a", "MessageBody": "one", "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}},
            {"Id": "b", "MessageBody": "two"},
            {"Id": "c", "MessageBody": "bad \x02"},
        ])
        self.assertEqual(sorted(e["Id"] for e in r["Successful"]), ["a", "b"])
        ok = {e["Id"]: e for e in r["Successful"]}
        self.assertEqual(ok["a"]["MD5OfMessageBody"], md5("one"))
        self.assertEqual(ok["a"]["MD5OfMessageAttributes"],
                         md5_of_attributes({"k": {"DataType": "String", "StringValue": "v"}}))
        self.assertEqual(r["Failed"][0]["Id"], "c")
        self.assertEqual(r["Failed"][0]["Code"], "InvalidMessageContents")
        self.assertTrue(r["Failed"][0]["SenderFault"])
        got = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        self.assertEqual(sorted(m["Body"] for m in got), ["one", "two"])
        handles = [{"Id": "m%d" % i, "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)]
        r = self.sqs.change_message_visibility_batch(QueueUrl=url, Entries=[
            dict(h, VisibilityTimeout=60) for h in handles] + [{"Id": "x", "ReceiptHandle": "nope",
                                                                 "VisibilityTimeout": 5}])
        self.assertEqual(len(r["Successful"]), 2)
        self.assertEqual(r["Failed"][0]["Code"], "ReceiptHandleIsInvalid")
        r = self.sqs.delete_message_batch(QueueUrl=url, Entries=handles)
        self.assertEqual(sorted(e["Id"] for e in r["Successful"]), ["m0", "m1"])
        self.assertEqual(r["Failed"], [])
        for entries, code in (
            ([{"Id": str(i), "MessageBody": "x"} for i in range(11)], "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"),
            ([{"Id": "a", "MessageBody": "x"}, {"Id": "a", "MessageBody": "y"}], "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"),
            ([{"Id": "bad id!", "MessageBody": "x"}], "AWS.SimpleQueueService.InvalidBatchEntryId"),
            ([], "AWS.SimpleQueueService.EmptyBatchRequest"),
            ([{"Id": "a", "MessageBody": "x" * 200000}, {"Id": "b", "MessageBody": "x" * 100000}],
             "AWS.SimpleQueueService.BatchRequestTooLong"),
        ):
            with self.assertRaises(botocore.exceptions.ClientError, msg=code) as cm:
                self.sqs.send_message_batch(QueueUrl=url, Entries=entries)
            self.assertEqual(cm.exception.response["Error"]["Code"], code)

    def test_fifo_order_groups_and_dedup(self):
        url = self.queue("orders.fifo", FifoQueue="true")
        seqs = []
        for i in range(3):
            for g in ("g1", "g2"):
                r = self.sqs.send_message(QueueUrl=url, MessageBody="%s-%d" % (g, i), MessageGroupId=g,
                                          MessageDeduplicationId="%s-%d" % (g, i))
                seqs.append(int(r["SequenceNumber"]))
        self.assertEqual(seqs, sorted(seqs))
        dup = self.sqs.send_message(QueueUrl=url, MessageBody="g1-0 again", MessageGroupId="g1",
                                    MessageDeduplicationId="g1-0")
        first = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2, AttributeNames=["All"])["Messages"]
        self.assertEqual([m["Body"] for m in first], ["g1-0", "g1-1"])
        self.assertEqual(dup["MessageId"], first[0]["MessageId"])
        self.assertEqual(first[0]["Attributes"]["MessageGroupId"], "g1")
        # g1 is in flight: the next receive gets g2 only, in order
        second = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        self.assertEqual([m["Body"] for m in second], ["g2-0", "g2-1", "g2-2"])
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10))
        for m in first:
            self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        third = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        self.assertEqual([m["Body"] for m in third], ["g1-2"])
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g")
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidParameterValue")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageDeduplicationId="d")
        self.assertEqual(cm.exception.response["Error"]["Code"], "MissingParameter")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="d",
                                  DelaySeconds=1)
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidParameterValue")

    def test_fifo_content_based_dedup(self):
        url = self.queue("cbd.fifo", FifoQueue="true", ContentBasedDeduplication="true")
        a = self.sqs.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="g")
        b = self.sqs.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="g")
        c = self.sqs.send_message(QueueUrl=url, MessageBody="other", MessageGroupId="g")
        self.assertEqual(a["MessageId"], b["MessageId"])
        self.assertNotEqual(a["MessageId"], c["MessageId"])
        got = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"])["Messages"]
        self.assertEqual([m["Body"] for m in got], ["same", "other"])
        self.assertEqual(got[0]["Attributes"]["MessageDeduplicationId"], hashlib.sha256(b"same").hexdigest())

    def test_fifo_names_must_match_the_attribute(self):
        for name, attrs in (("plain.fifo", {}), ("plain", {"FifoQueue": "true"})):
            with self.assertRaises(botocore.exceptions.ClientError) as cm:
                self.sqs.create_queue(QueueName=name, Attributes=attrs)
            self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidParameterValue")

    def test_redrive_to_dead_letter_queue(self):
        dlq = self.queue("dlq")
        dlq_arn = self.sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        src = self.queue("work", RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 2}))
        self.sqs.send_message(QueueUrl=src, MessageBody="poison")
        for i in range(2):
            m = self.sqs.receive_message(QueueUrl=src, VisibilityTimeout=0, AttributeNames=["All"])["Messages"][0]
            self.assertEqual(m["Attributes"]["ApproximateReceiveCount"], str(i + 1))
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=src))
        moved = self.sqs.receive_message(QueueUrl=dlq, AttributeNames=["All"])["Messages"][0]
        self.assertEqual(moved["Body"], "poison")
        self.assertEqual(moved["Attributes"]["DeadLetterQueueSourceArn"],
                         "arn:aws:sqs:us-east-1:000000000000:work")
        self.assertEqual(self.sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"], [src])
        for bad in (dlq_arn + "x", dlq_arn.replace("000000000000", "111111111111"),
                    dlq_arn.replace("us-east-1", "eu-west-1")):
            with self.assertRaises(botocore.exceptions.ClientError, msg=bad) as cm:
                self.queue("work2", RedrivePolicy=json.dumps({"deadLetterTargetArn": bad, "maxReceiveCount": 2}))
            self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidParameterValue")
            self.assertIn("Dead letter target does not exist", str(cm.exception))

    def test_malformed_body_is_a_serialization_error_and_the_server_keeps_serving(self):
        import urllib.request
        req = urllib.request.Request(self.server.url + "/", data=b"{not json", method="POST",
                                     headers={"X-Amz-Target": "AmazonSQS.ListQueues",
                                              "Content-Type": "application/x-amz-json-1.0"})
        try:
            urllib.request.urlopen(req)
            self.fail("expected an HTTP error")
        except urllib.error.HTTPError as e:
            self.assertEqual(e.code, 400)
            self.assertIn("SerializationException", json.loads(e.read())["__type"])
        self.sqs.list_queues()


if __name__ == "__main__":
    unittest.main(verbosity=1)
