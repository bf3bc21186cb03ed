"""test_sqs_query.py - the SQS mock over the query protocol (form-encoded Action=..., XML answers).

The installed botocore speaks only JSON to SQS, so this test gives boto3 the
query protocol the way older SDKs spoke it: the service model with
`protocol: query` and SQS's query member names (AttributeName.N,
MessageAttribute.N.Name, SendMessageBatchRequestEntry.N...), loaded from a
data path ahead of botocore's own. botocore then serialises, signs and
parses every request itself. Digests are recomputed here (md5_of_attributes).
"""
import base64
import copy
import hashlib
import json
import os
import sys
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request

import boto3
import botocore.exceptions
import botocore.loaders
import botocore.session
from botocore.config import Config

sys.path.insert(0, os.path.dirname(__file__))
from serve import Server  # noqa: E402
from test_sqs import DigestChecker, md5, md5_of_attributes  # noqa: E402

# member -> SQS's query name (the 2012-11-05 query API's wire names)
LOCATION = {
    "CreateQueueRequest": {"Attributes": "Attribute", "tags": "Tag"},
    "SetQueueAttributesRequest": {"Attributes": "Attribute"},
    "GetQueueAttributesRequest": {"AttributeNames": "AttributeName"},
    "GetQueueAttributesResult": {"Attributes": "Attribute"},
    "ReceiveMessageRequest": {"AttributeNames": "AttributeName", "MessageAttributeNames": "MessageAttributeName",
                              "MessageSystemAttributeNames": "MessageSystemAttributeName"},
    "ReceiveMessageResult": {"Messages": "Message"},
    "Message": {"Attributes": "Attribute", "MessageAttributes": "MessageAttribute"},
    "SendMessageRequest": {"MessageAttributes": "MessageAttribute",
                           "MessageSystemAttributes": "MessageSystemAttribute"},
    "SendMessageBatchRequest": {"Entries": "SendMessageBatchRequestEntry"},
    "SendMessageBatchRequestEntry": {"MessageAttributes": "MessageAttribute",
                                     "MessageSystemAttributes": "MessageSystemAttribute"},
    "SendMessageBatchResult": {"Successful": "SendMessageBatchResultEntry", "Failed": "BatchResultErrorEntry"},
    "DeleteMessageBatchRequest": {"Entries": "DeleteMessageBatchRequestEntry"},
    "DeleteMessageBatchResult": {"Successful": "DeleteMessageBatchResultEntry", "Failed": "BatchResultErrorEntry"},
    "ChangeMessageVisibilityBatchRequest": {"Entries": "ChangeMessageVisibilityBatchRequestEntry"},
    "ChangeMessageVisibilityBatchResult": {"Successful": "ChangeMessageVisibilityBatchResultEntry",
                                           "Failed": "BatchResultErrorEntry"},
    "ListQueuesResult": {"QueueUrls": "QueueUrl"},
    "ListDeadLetterSourceQueuesResult": {"queueUrls": "QueueUrl"},
    "ListQueueTagsResult": {"Tags": "Tag"},
    "TagQueueRequest": {"Tags": "Tag"},
    "UntagQueueRequest": {"TagKeys": "TagKey"},
}
MAP_NAMES = {"QueueAttributeMap": ("Name", "Value"), "MessageBodyAttributeMap": ("Name", "Value"),
             "MessageBodySystemAttributeMap": ("Name", "Value"), "MessageSystemAttributeMap": ("Name", "Value"),
             "TagMap": ("Key", "Value")}


def query_model():
    m = copy.deepcopy(botocore.loaders.Loader().load_service_model("sqs", "service-2"))
    md = m["metadata"]
    md["protocol"] = "query"
    md["protocols"] = ["query"]
    md["xmlNamespace"] = "http://queue.amazonaws.com/doc/2012-11-05/"
    for k in ("jsonVersion", "targetPrefix", "awsQueryCompatible"):
        md.pop(k, None)
    shapes = m["shapes"]
    for shape, members in LOCATION.items():
        for member, loc in members.items():
            shapes[shape]["members"][member]["locationName"] = loc
    for shape, (k, v) in MAP_NAMES.items():
        shapes[shape]["key"]["locationName"] = k
        shapes[shape]["value"]["locationName"] = v
    for name, op in m["operations"].items():
        if "output" in op:
            op["output"]["resultWrapper"] = name + "Result"
    return m


class SqsQueryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data = tempfile.TemporaryDirectory()
        d = os.path.join(cls.data.name, "sqs", "2012-11-05")
        os.makedirs(d)
        with open(os.path.join(d, "service-2.json"), "w") as f:
            json.dump(query_model(), f)
        cls.server = Server().__enter__()
        bs = botocore.session.get_session()
        bs.set_config_variable("data_path", cls.data.name)
        cls.sqs = boto3.Session(botocore_session=bs).client(
            "sqs", endpoint_url=cls.server.url, region_name="us-east-1", aws_access_key_id="test",
            aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}))
        assert cls.sqs.meta.service_model.protocol == "query"
        cls.digests = DigestChecker(cls.sqs)
        cls.requests = []
        cls.sqs.meta.events.register("before-send.sqs.*", lambda request, **kw: cls.requests.append(request))

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.data.cleanup()
        print("test_sqs_query: %d digests checked on every answer" % cls.digests.checked)
        assert cls.digests.checked >= 10, cls.digests.checked

    def last_body(self):
        b = self.requests[-1].body
        return b.decode() if isinstance(b, bytes) else b

    def test_requests_really_are_query_protocol(self):
        self.sqs.list_queues()
        self.assertIn("Action=ListQueues", self.last_body())
        self.assertNotIn("X-Amz-Target", self.requests[-1].headers)

    def test_round_trip_with_digests(self):
        url = self.sqs.create_queue(QueueName="qp", Attributes={"VisibilityTimeout": "60"},
                                    tags={"team": "growth"})["QueueUrl"]
        self.assertIn("Attribute.1.Name=VisibilityTimeout", self.last_body())
        self.assertEqual(url, self.server.url + "/000000000000/qp")
        self.assertEqual(self.sqs.get_queue_url(QueueName="qp")["QueueUrl"], url)
        attrs = {"s": {"DataType": "String", "StringValue": "a < b & \"c\"\r\n"},
                 "n": {"DataType": "Number.int", "StringValue": "42"},
                 "b": {"DataType": "Binary", "BinaryValue": b"\x00\xffbin"}}
        body = "<xml> & \"quotes\" \r\n ünïcödé ✓"
        sysattrs = {"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793"}}
        r = self.sqs.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=attrs,
                                  MessageSystemAttributes=sysattrs)
        self.assertIn("MessageAttribute.1.Name=", self.last_body())
        self.assertIn("MessageSystemAttribute.1.Name=AWSTraceHeader", self.last_body())
        self.assertEqual(r["MD5OfMessageBody"], md5(body))
        self.assertEqual(r["MD5OfMessageAttributes"], md5_of_attributes(attrs))
        self.assertEqual(r["MD5OfMessageSystemAttributes"], md5_of_attributes(sysattrs))
        m = self.sqs.receive_message(QueueUrl=url, AttributeNames=["All"], MessageAttributeNames=["All"])["Messages"][0]
        self.assertEqual(m["Attributes"]["AWSTraceHeader"], sysattrs["AWSTraceHeader"]["StringValue"])
        self.assertEqual(m["Body"], body)
        self.assertEqual(m["MD5OfBody"], md5(m["Body"]))
        self.assertEqual(m["MessageAttributes"], attrs)
        self.assertEqual(m["MD5OfMessageAttributes"], md5_of_attributes(m["MessageAttributes"]))
        self.assertEqual(m["Attributes"]["ApproximateReceiveCount"], "1")
        a = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(a["ApproximateNumberOfMessagesNotVisible"], "1")
        self.assertEqual(a["VisibilityTimeout"], "60")
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"team": "growth"})
        self.sqs.tag_queue(QueueUrl=url, Tags={"env": "ci"})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["team"])
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"env": "ci"})
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "3"})
        self.assertEqual(self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["DelaySeconds"])["Attributes"],
                         {"DelaySeconds": "3"})
        self.assertIn(url, self.sqs.list_queues(QueueNamePrefix="qp")["QueueUrls"])
        self.sqs.purge_queue(QueueUrl=url)
        self.sqs.delete_queue(QueueUrl=url)

    def test_errors_are_error_responses_with_legacy_codes(self):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.get_queue_url(QueueName="missing")
        e = cm.exception.response["Error"]
        self.assertEqual(e["Code"], "AWS.SimpleQueueService.NonExistentQueue")
        self.assertEqual(e["Type"], "Sender")
        self.assertEqual(e["Message"], "The specified queue does not exist for this wsdl version.")
        url = self.sqs.create_queue(QueueName="qerr")["QueueUrl"]
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.delete_message(QueueUrl=url, ReceiptHandle="junk")
        self.assertEqual(cm.exception.response["Error"]["Code"], "ReceiptHandleIsInvalid")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "a", "MessageBody": "x"}] * 2)
        self.assertEqual(cm.exception.response["Error"]["Code"], "AWS.SimpleQueueService.BatchEntryIdsNotDistinct")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.create_queue(QueueName="qerr", Attributes={"DelaySeconds": "7"})
        self.assertEqual(cm.exception.response["Error"]["Code"], "QueueAlreadyExists")

    def test_batches_and_fifo(self):
        url = self.sqs.create_queue(QueueName="qb.fifo", Attributes={"FifoQueue": "true",
                                                                     "ContentBasedDeduplication": "true"})["QueueUrl"]
        r = self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": "a", "MessageBody": "one", "MessageGroupId": "g",
             "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}},
            {"Id": "b", "MessageBody": "two", "MessageGroupId": "g"},
            {"Id": "c", "MessageBody": "three"}])
        self.assertIn("SendMessageBatchRequestEntry.1.Id=a", self.last_body())
        ok = {e["Id"]: e for e in r["Successful"]}
        self.assertEqual(sorted(ok), ["a", "b"])
        self.assertEqual(ok["a"]["MD5OfMessageAttributes"],
                         md5_of_attributes({"k": {"DataType": "String", "StringValue": "v"}}))
        self.assertLess(int(ok["a"]["SequenceNumber"]), int(ok["b"]["SequenceNumber"]))
        self.assertEqual(r["Failed"][0]["Id"], "c")
        self.assertEqual(r["Failed"][0]["Code"], "MissingParameter")
        self.assertTrue(r["Failed"][0]["SenderFault"])
        got = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                       MessageSystemAttributeNames=["MessageGroupId", "SequenceNumber"])["Messages"]
        self.assertEqual([m["Body"] for m in got], ["one", "two"])
        self.assertEqual(got[0]["Attributes"]["MessageGroupId"], "g")
        r = self.sqs.change_message_visibility_batch(QueueUrl=url, Entries=[
            {"Id": "x", "ReceiptHandle": got[0]["ReceiptHandle"], "VisibilityTimeout": 100}])
        self.assertEqual([e["Id"] for e in r["Successful"]], ["x"])
        r = self.sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": "p", "ReceiptHandle": got[0]["ReceiptHandle"]}, {"Id": "q", "ReceiptHandle": got[1]["ReceiptHandle"]}])
        self.assertEqual(sorted(e["Id"] for e in r["Successful"]), ["p", "q"])

    def test_dead_letter_sources(self):
        dlq = self.sqs.create_queue(QueueName="qdlq")["QueueUrl"]
        src = self.sqs.create_queue(QueueName="qsrc", Attributes={"RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:000000000000:qdlq", "maxReceiveCount": 1})})["QueueUrl"]
        self.assertEqual(self.sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"], [src])

    def test_unsigned_form_posted_to_the_queue_url(self):
        url = self.sqs.create_queue(QueueName="qraw")["QueueUrl"]
        data = urllib.parse.urlencode({"Action": "SendMessage", "Version": "2012-11-05",
                                       "MessageBody": "raw body"}).encode()
        with urllib.request.urlopen(urllib.request.Request(url, data=data)) as r:
            xml = r.read().decode()
        self.assertIn("<SendMessageResponse", xml)
        self.assertIn("<MD5OfMessageBody>%s</MD5OfMessageBody>" % md5("raw body"), xml)
        data = urllib.parse.urlencode({"Action": "Frobnicate", "Version": "2012-11-05"}).encode()
        req = urllib.request.Request(self.server.url + "/", data=data, headers={
            "Authorization": "AWS4-HMAC-SHA256 Credential=AK/20250101/us-east-1/sqs/aws4_request, "
                             "SignedHeaders=host, Signature=0"})
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(req)
        self.assertEqual(cm.exception.code, 400)
        self.assertIn("<Code>InvalidAction</Code>", cm.exception.read().decode())


if __name__ == "__main__":
    unittest.main(verbosity=1)
