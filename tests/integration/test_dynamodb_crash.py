"""test_dynamodb_crash.py - kill -9 `stepbench serve --data DIR` in the middle of a write load, restart it on
the same DIR, and check that every PutItem the server acknowledged is there."""
import os
import shutil
import sys
import tempfile
import threading
import time
import unittest

import boto3
import botocore
from botocore.config import Config

sys.path.insert(0, os.path.dirname(__file__))
from serve import Server  # noqa: E402

WRITERS = 4
KILL_AFTER_ACKS = 400
DEADLINE_S = 60


def client(s):
    """A client that never retries: an acknowledged write is one the server answered."""
    return boto3.client("dynamodb", endpoint_url=s.url, region_name="us-east-1", aws_access_key_id="t",
                        aws_secret_access_key="t", config=Config(retries={"total_max_attempts": 1}))


class CrashTest(unittest.TestCase):
    def test_no_acknowledged_write_is_lost_on_kill_9(self):
        data = tempfile.mkdtemp(prefix="stepbench-crash-")
        self.addCleanup(shutil.rmtree, data, True)
        acked = []
        lock = threading.Lock()
        stop = threading.Event()
        s = Server("--data", data).__enter__()
        try:
            ddb = client(s)
            ddb.create_table(TableName="Crash", AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")

            def writer(n):
                c = client(s)
                i = 0
                while not stop.is_set():
                    key = "w%d-%d" % (n, i)
                    try:
                        c.put_item(TableName="Crash", Item={"id": {"S": key}, "pad": {"S": "x" * 200}})
                    except (botocore.exceptions.EndpointConnectionError, botocore.exceptions.ConnectionClosedError,
                            botocore.exceptions.ReadTimeoutError, botocore.exceptions.ClientError):
                        return  # the server is gone: this write was never acknowledged
                    with lock:
                        acked.append(key)
                    i += 1

            threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
            for t in threads:
                t.start()
            end = time.time() + DEADLINE_S
            while time.time() < end:
                with lock:
                    if len(acked) >= KILL_AFTER_ACKS:
                        break
                time.sleep(0.005)
            s.proc.kill()  # SIGKILL, while the writers are still writing
            s.proc.wait()
            stop.set()
            for t in threads:
                t.join(30)
        finally:
            try:
                s.stop()
            except AssertionError as e:  # stop() reports the server's death: here we caused it
                if "exit -9" not in str(e):
                    raise
        self.assertGreaterEqual(len(acked), KILL_AFTER_ACKS, "the load never got going")
        with Server("--data", data) as s:
            ddb = client(s)
            found = set()
            kw = {}
            while True:
                page = ddb.scan(TableName="Crash", ProjectionExpression="id", **kw)
                found.update(i["id"]["S"] for i in page["Items"])
                if "LastEvaluatedKey" not in page:
                    break
                kw = {"ExclusiveStartKey": page["LastEvaluatedKey"]}
        missing = [k for k in acked if k not in found]
        self.assertEqual(missing, [], "%d of %d acknowledged writes lost" % (len(missing), len(acked)))


if __name__ == "__main__":
    unittest.main(verbosity=2)
