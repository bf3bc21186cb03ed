"""test_dynamodb_data.py - the DynamoDB data plane through boto3: updates, conditions, Query and indexes,
batches, transactions, TTL, tags, UpdateTable, capacity, faults, and long keys."""
import json
import os
import sys
import time
import unittest
import urllib.request

import botocore

sys.path.insert(0, os.path.dirname(__file__))
from serve import Server  # noqa: E402

S, N = "S", "N"


def key_table(ddb, name, hk=("pk", S), rk=("sk", N), **extra):
    defs = [{"AttributeName": hk[0], "AttributeType": hk[1]}]
    ks = [{"AttributeName": hk[0], "KeyType": "HASH"}]
    if rk:
        defs.append({"AttributeName": rk[0], "AttributeType": rk[1]})
        ks.append({"AttributeName": rk[0], "KeyType": "RANGE"})
    for d in extra.pop("more_defs", []):
        defs.append({"AttributeName": d[0], "AttributeType": d[1]})
    ddb.create_table(TableName=name, AttributeDefinitions=defs, KeySchema=ks, BillingMode="PAY_PER_REQUEST", **extra)


class DataPlaneTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().__enter__()
        cls.ddb = cls.server.client("dynamodb")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def table(self, name, **kw):
        key_table(self.ddb, name, **kw)
        self.addCleanup(lambda: self.ddb.delete_table(TableName=name))
        return name

    def err(self, code, fn, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            fn(**kw)
        self.assertEqual(e.exception.response["Error"]["Code"], code, e.exception.response["Error"])
        return e.exception.response

    # ---- UpdateItem ------------------------------------------------------

    def test_update_item_creates_and_updates_with_every_action(self):
        t = self.table("Upd")
        k = {"pk": {S: "a"}, "sk": {N: "1"}}
        r = self.ddb.update_item(TableName=t, Key=k, UpdateExpression="SET #c = if_not_exists(#c, :zero) + :one, "
                                 "tags = list_append(if_not_exists(tags, :empty), :t) ADD seen :s",
                                 ExpressionAttributeNames={"#c": "count"},
                                 ExpressionAttributeValues={":zero": {N: "0"}, ":one": {N: "1"}, ":empty": {"L": []},
                                                            ":t": {"L": [{S: "x"}]}, ":s": {"SS": ["p"]}},
                                 ReturnValues="ALL_NEW")["Attributes"]
        self.assertEqual(r["count"], {N: "1"})
        self.assertEqual(r["tags"], {"L": [{S: "x"}]})
        r = self.ddb.update_item(TableName=t, Key=k, UpdateExpression="SET #c = #c + :big REMOVE tags[0] "
                                 "DELETE seen :s", ExpressionAttributeNames={"#c": "count"},
                                 ExpressionAttributeValues={":big": {N: "0.00000000000000000000000000000000001"},
                                                            ":s": {"SS": ["p"]}},
                                 ReturnValues="UPDATED_OLD")["Attributes"]
        self.assertEqual(r, {"count": {N: "1"}, "tags": {"L": [{S: "x"}]}, "seen": {"SS": ["p"]}})
        item = self.ddb.get_item(TableName=t, Key=k)["Item"]
        self.assertEqual(item["count"], {N: "1.00000000000000000000000000000000001"})  # exact, 36 digits
        self.assertEqual(item["tags"], {"L": []})
        self.assertNotIn("seen", item)  # a set emptied by DELETE goes away

    def test_update_item_errors(self):
        t = self.table("UpdErr")
        k = {"pk": {S: "a"}, "sk": {N: "1"}}
        self.ddb.put_item(TableName=t, Item={**k, "s": {S: "text"}})
        r = self.err("ValidationException", self.ddb.update_item, TableName=t, Key=k, UpdateExpression="SET s = s + :n",
                     ExpressionAttributeValues={":n": {N: "1"}})
        self.assertEqual(r["Error"]["Message"], "An operand in the update expression has an incorrect data type")
        r = self.err("ValidationException", self.ddb.update_item, TableName=t, Key=k, UpdateExpression="SET x = nope",
                     )
        self.assertEqual(r["Error"]["Message"],
                         "The provided expression refers to an attribute that does not exist in the item")
        r = self.err("ValidationException", self.ddb.update_item, TableName=t, Key=k,
                     UpdateExpression="ADD s :v", ExpressionAttributeValues={":v": {S: "x"}})
        self.assertEqual(r["Error"]["Message"], "Invalid UpdateExpression: Incorrect operand type for operator or "
                         "function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND")
        r = self.err("ValidationException", self.ddb.update_item, TableName=t, Key=k,
                     UpdateExpression="SET a = :v SET b = :v", ExpressionAttributeValues={":v": {S: "x"}})
        self.assertEqual(r["Error"]["Message"],
                         'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;')
        r = self.err("ValidationException", self.ddb.update_item, TableName=t, Key=k,
                     UpdateExpression="SET n = :a + :b",
                     ExpressionAttributeValues={":a": {N: "9.9999999999999999999999999999999999999E+125"},
                                                ":b": {N: "1E+125"}})
        self.assertEqual(r["Error"]["Message"],
                         "Number overflow. Attempting to store a number with magnitude larger than supported range")

    def test_condition_failure_returns_the_item_when_asked(self):
        t = self.table("Cond")
        k = {"pk": {S: "a"}, "sk": {N: "1"}}
        self.ddb.put_item(TableName=t, Item={**k, "v": {N: "1"}})
        r = self.err("ConditionalCheckFailedException", self.ddb.delete_item, TableName=t, Key=k,
                     ConditionExpression="v > :x", ExpressionAttributeValues={":x": {N: "5"}},
                     ReturnValuesOnConditionCheckFailure="ALL_OLD")
        self.assertEqual(r["Item"], {**k, "v": {N: "1"}})
        self.assertEqual(r["Error"]["Message"], "The conditional request failed")
        # legacy Expected with ConditionalOperator OR
        self.ddb.put_item(TableName=t, Item={**k, "v": {N: "2"}},
                          Expected={"v": {"ComparisonOperator": "EQ", "AttributeValueList": [{N: "1"}]},
                                    "w": {"Exists": True, "Value": {S: "x"}}}, ConditionalOperator="OR")
        self.assertEqual(self.ddb.get_item(TableName=t, Key=k)["Item"]["v"], {N: "2"})

    # ---- Query and indexes ---------------------------------------------------

    def test_query_on_table_and_indexes_with_projections(self):
        t = self.table("Orders", more_defs=[("status", S), ("total", N)],
                       LocalSecondaryIndexes=[{"IndexName": "byTotal", "KeySchema": [
                           {"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "total", "KeyType": "RANGE"}],
                           "Projection": {"ProjectionType": "KEYS_ONLY"}}],
                       GlobalSecondaryIndexes=[{"IndexName": "byStatus", "KeySchema": [
                           {"AttributeName": "status", "KeyType": "HASH"}, {"AttributeName": "total", "KeyType": "RANGE"}],
                           "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["note"]}}])
        for i in range(100):
            item = {"pk": {S: "cust"}, "sk": {N: str(i)}, "total": {N: str((i * 37) % 100)}, "note": {S: "n%d" % i},
                    "big": {S: "x" * 50}}
            if i % 2 == 0:
                item["status"] = {S: "OPEN"}
            self.ddb.put_item(TableName=t, Item=item)
        q = self.ddb.query(TableName=t, KeyConditionExpression="pk = :p AND sk BETWEEN :a AND :b",
                           ExpressionAttributeValues={":p": {S: "cust"}, ":a": {N: "10"}, ":b": {N: "14"}},
                           ScanIndexForward=False)
        self.assertEqual([i["sk"][N] for i in q["Items"]], ["14", "13", "12", "11", "10"])
        g = self.ddb.query(TableName=t, IndexName="byStatus", KeyConditionExpression="#s = :o AND #t < :m",
                           ExpressionAttributeNames={"#s": "status", "#t": "total"},
                           ExpressionAttributeValues={":o": {S: "OPEN"}, ":m": {N: "20"}})
        totals = [int(i["total"][N]) for i in g["Items"]]
        self.assertEqual(totals, sorted(totals))
        self.assertTrue(all(set(i) == {"pk", "sk", "status", "total", "note"} for i in g["Items"]))
        self.assertEqual(g["Count"], len([i for i in range(0, 100, 2) if (i * 37) % 100 < 20]))
        lsi = self.ddb.query(TableName=t, IndexName="byTotal", KeyConditionExpression="pk = :p",
                             ExpressionAttributeValues={":p": {S: "cust"}}, Limit=3, Select="ALL_ATTRIBUTES")
        self.assertEqual([i["total"][N] for i in lsi["Items"]], ["0", "1", "2"])
        self.assertIn("big", lsi["Items"][0])  # LSI fetches unprojected attributes from the table
        self.assertEqual(set(lsi["LastEvaluatedKey"]), {"pk", "sk", "total"})
        nxt = self.ddb.query(TableName=t, IndexName="byTotal", KeyConditionExpression="pk = :p",
                             ExpressionAttributeValues={":p": {S: "cust"}}, Limit=2,
                             ExclusiveStartKey=lsi["LastEvaluatedKey"])
        self.assertEqual([i["total"][N] for i in nxt["Items"]], ["3", "4"])
        c = self.ddb.query(TableName=t, KeyConditionExpression="pk = :p", Select="COUNT",
                           FilterExpression="begins_with(note, :n)",
                           ExpressionAttributeValues={":p": {S: "cust"}, ":n": {S: "n1"}})
        self.assertEqual((c["Count"], c["ScannedCount"]), (11, 100))
        self.assertNotIn("Items", c)
        self.err("ValidationException", self.ddb.query, TableName=t, IndexName="byStatus", Select="ALL_ATTRIBUTES",
                 KeyConditionExpression="#s = :o", ExpressionAttributeNames={"#s": "status"},
                 ExpressionAttributeValues={":o": {S: "OPEN"}})
        self.err("ValidationException", self.ddb.query, TableName=t, IndexName="nope",
                 KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {S: "x"}})
        cap = self.ddb.query(TableName=t, IndexName="byStatus", KeyConditionExpression="#s = :o",
                             ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues={":o": {S: "OPEN"}},
                             ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]
        self.assertIn("byStatus", cap["GlobalSecondaryIndexes"])
        d = self.ddb.describe_table(TableName=t)["Table"]
        self.assertEqual(d["GlobalSecondaryIndexes"][0]["ItemCount"], 50)
        self.assertEqual(d["LocalSecondaryIndexes"][0]["ItemCount"], 100)

    def test_query_pages_by_one_megabyte(self):
        t = self.table("Big", rk=("sk", N))
        blob = "x" * 100000
        for i in range(15):
            self.ddb.put_item(TableName=t, Item={"pk": {S: "p"}, "sk": {N: str(i)}, "b": {S: blob}})
        q = self.ddb.query(TableName=t, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {S: "p"}})
        self.assertLess(q["Count"], 15)
        self.assertIn("LastEvaluatedKey", q)
        rest = self.ddb.query(TableName=t, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {S: "p"}},
                              ExclusiveStartKey=q["LastEvaluatedKey"])
        self.assertEqual(q["Count"] + rest["Count"], 15)

    def test_long_keys_are_stored_and_sorted(self):
        t = self.table("Long", rk=("sk", S))
        pk = "p" * 2048
        sks = ["a" * 1000 + c for c in "zyxabc"] + ["a" * 999, "b"]
        for s in sks:
            self.ddb.put_item(TableName=t, Item={"pk": {S: pk}, "sk": {S: s}})
        q = self.ddb.query(TableName=t, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {S: pk}})
        self.assertEqual([i["sk"][S] for i in q["Items"]], sorted(sks))
        q = self.ddb.query(TableName=t, KeyConditionExpression="pk = :p AND sk > :s",
                           ExpressionAttributeValues={":p": {S: pk}, ":s": {S: "a" * 1000 + "b"}}, Limit=2)
        self.assertEqual([i["sk"][S][-1] for i in q["Items"]], ["c", "x"])
        q = self.ddb.query(TableName=t, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {S: pk}},
                           ExclusiveStartKey=q["LastEvaluatedKey"], ScanIndexForward=False)
        self.assertEqual([i["sk"][S][-1] for i in q["Items"]], ["c", "b", "a", "a"])
        got = self.ddb.get_item(TableName=t, Key={"pk": {S: pk}, "sk": {S: "a" * 1000 + "y"}})
        self.assertEqual(got["Item"]["sk"][S][-1], "y")
        self.err("ValidationException", self.ddb.put_item, TableName=t, Item={"pk": {S: "p" * 2049}, "sk": {S: "a"}})
        self.err("ValidationException", self.ddb.put_item, TableName=t, Item={"pk": {S: "p"}, "sk": {S: "a" * 1025}})

    # ---- batches and transactions ----------------------------------------------

    def test_batch_write_and_get(self):
        t = self.table("Batch")
        puts = [{"PutRequest": {"Item": {"pk": {S: "k%d" % i}, "sk": {N: "1"}, "v": {N: str(i)}}}} for i in range(25)]
        r = self.ddb.batch_write_item(RequestItems={t: puts})
        self.assertEqual(r["UnprocessedItems"], {})
        keys = [{"pk": {S: "k%d" % i}, "sk": {N: "1"}} for i in range(0, 25, 2)]
        r = self.ddb.batch_get_item(RequestItems={t: {"Keys": keys, "ProjectionExpression": "v"}})
        self.assertEqual(sorted(int(i["v"][N]) for i in r["Responses"][t]), list(range(0, 25, 2)))
        self.assertEqual(r["UnprocessedKeys"], {})
        self.err("ValidationException", self.ddb.batch_write_item, RequestItems={t: puts + puts[:1]})
        r = self.err("ValidationException", self.ddb.batch_write_item, RequestItems={t: puts[:2] + puts[:1]})
        self.assertEqual(r["Error"]["Message"], "Provided list of item keys contains duplicates")
        dels = [{"DeleteRequest": {"Key": {"pk": {S: "k%d" % i}, "sk": {N: "1"}}}} for i in range(25)]
        self.ddb.batch_write_item(RequestItems={t: dels})
        self.assertEqual(self.ddb.scan(TableName=t)["Count"], 0)
        self.err("ResourceNotFoundException", self.ddb.batch_get_item, RequestItems={"Nope": {"Keys": keys}})

    def test_transactions_are_all_or_nothing(self):
        t = self.table("Acct", rk=None)
        self.ddb.put_item(TableName=t, Item={"pk": {S: "a"}, "bal": {N: "10"}})
        self.ddb.put_item(TableName=t, Item={"pk": {S: "b"}, "bal": {N: "0"}})
        self.ddb.put_item(TableName=t, Item={"pk": {S: "open"}})

        def move(amount, token=None):
            kw = {"ClientRequestToken": token} if token else {}
            return self.ddb.transact_write_items(TransactItems=[
                {"Update": {"TableName": t, "Key": {"pk": {S: "a"}}, "UpdateExpression": "SET bal = bal - :x",
                            "ConditionExpression": "bal >= :x", "ExpressionAttributeValues": {":x": {N: str(amount)}},
                            "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
                {"Update": {"TableName": t, "Key": {"pk": {S: "b"}}, "UpdateExpression": "SET bal = bal + :x",
                            "ExpressionAttributeValues": {":x": {N: str(amount)}}}},
                {"ConditionCheck": {"TableName": t, "Key": {"pk": {S: "open"}},
                                    "ConditionExpression": "attribute_exists(pk)"}}], **kw)

        r = self.err("TransactionCanceledException", move, amount=50)
        self.assertEqual([x["Code"] for x in r["CancellationReasons"]], ["ConditionalCheckFailed", "None", "None"])
        self.assertEqual(r["CancellationReasons"][0]["Item"]["bal"], {N: "10"})
        self.assertIn("[ConditionalCheckFailed, None, None]", r["Error"]["Message"])
        move(4, token="t-1")
        move(4, token="t-1")  # the same token within ten minutes does not apply twice
        got = self.ddb.transact_get_items(TransactItems=[{"Get": {"TableName": t, "Key": {"pk": {S: k}}}}
                                                         for k in ("a", "b", "c")])["Responses"]
        self.assertEqual([g.get("Item", {}).get("bal") for g in got], [{N: "6"}, {N: "4"}, None])
        self.err("IdempotentParameterMismatchException", move, amount=1, token="t-1")
        r = self.err("ValidationException", self.ddb.transact_write_items, TransactItems=[
            {"Put": {"TableName": t, "Item": {"pk": {S: "a"}}}}, {"Delete": {"TableName": t, "Key": {"pk": {S: "a"}}}}])
        self.assertEqual(r["Error"]["Message"], "Transaction request cannot include multiple operations on one item")

    def test_partiql_single_item_statements(self):
        t = self.table("Pql")
        ex = self.ddb.execute_statement
        ex(Statement="INSERT INTO \"%s\" VALUE {'pk': ?, 'sk': 1, 'name': 'Ann', 'tags': <<'a', 'b'>>, "
                     "'m': {'x': [1, 'two', true]}}" % t, Parameters=[{S: "u1"}])
        ex(Statement="INSERT INTO %s VALUE {'pk': 'u1', 'sk': 2, 'name': 'Bob'}" % t)
        self.err("DuplicateItemException", ex, Statement="INSERT INTO %s VALUE {'pk': 'u1', 'sk': 2}" % t)
        items = ex(Statement="SELECT * FROM %s WHERE pk = 'u1'" % t)["Items"]
        self.assertEqual([i["sk"][N] for i in items], ["1", "2"])
        self.assertEqual(items[0]["m"], {"M": {"x": {"L": [{N: "1"}, {S: "two"}, {"BOOL": True}]}}})
        got = ex(Statement="SELECT name, m.x[1] FROM \"%s\" WHERE pk = ? AND sk < ?" % t,
                 Parameters=[{S: "u1"}, {N: "2"}])["Items"]
        self.assertEqual(got, [{"name": {S: "Ann"}, "m": {"M": {"x": {"L": [{S: "two"}]}}}}])
        ex(Statement="UPDATE %s SET name = 'Bobby' SET age = 30 REMOVE tags WHERE pk = 'u1' AND sk = 2" % t)
        got = ex(Statement="SELECT * FROM %s WHERE age IS NOT MISSING AND age >= 30" % t)["Items"]
        self.assertEqual(got, [{"pk": {S: "u1"}, "sk": {N: "2"}, "name": {S: "Bobby"}, "age": {N: "30"}}])
        self.err("ConditionalCheckFailedException", ex, Statement="UPDATE %s SET a = 1 WHERE pk = 'x' AND sk = 1" % t)
        ex(Statement="DELETE FROM %s WHERE pk = 'u1' AND sk = 1" % t)
        self.assertEqual(len(ex(Statement="SELECT * FROM %s" % t)["Items"]), 1)
        r = self.err("ValidationException", ex, Statement="SELEC * FROM %s" % t)
        self.assertIn("Statement wasn't well formed", r["Error"]["Message"])
        r = self.err("ValidationException", self.ddb.query, TableName=t, KeyConditionExpression="pk = :p",
                     FilterExpression="sk > :s", ExpressionAttributeValues={":p": {S: "u1"}, ":s": {N: "0"}})
        self.assertEqual(r["Error"]["Message"],
                         "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk")

    # ---- control plane extras ------------------------------------------------

    def test_ttl_tags_update_table(self):
        t = self.table("Ctl", rk=None)
        self.ddb.update_time_to_live(TableName=t, TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
        d = self.ddb.describe_time_to_live(TableName=t)["TimeToLiveDescription"]
        self.assertEqual(d, {"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"})
        now = int(time.time())
        self.ddb.put_item(TableName=t, Item={"pk": {S: "old"}, "exp": {N: str(now - 10)}})
        self.ddb.put_item(TableName=t, Item={"pk": {S: "new"}, "exp": {N: str(now + 3600)}})
        self.assertEqual([i["pk"][S] for i in self.ddb.scan(TableName=t)["Items"]], ["new"])
        arn = self.ddb.describe_table(TableName=t)["Table"]["TableArn"]
        self.ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "team", "Value": "a"}, {"Key": "env", "Value": "dev"}])
        self.ddb.untag_resource(ResourceArn=arn, TagKeys=["env"])
        self.assertEqual(self.ddb.list_tags_of_resource(ResourceArn=arn)["Tags"], [{"Key": "team", "Value": "a"}])
        self.err("ResourceNotFoundException", self.ddb.list_tags_of_resource,
                 ResourceArn="arn:aws:dynamodb:us-east-1:000000000000:table/Nope")
        self.ddb.update_table(TableName=t, AttributeDefinitions=[{"AttributeName": "exp", "AttributeType": "N"}],
                              GlobalSecondaryIndexUpdates=[{"Create": {
                                  "IndexName": "byExp", "KeySchema": [{"AttributeName": "exp", "KeyType": "HASH"}],
                                  "Projection": {"ProjectionType": "ALL"}}}])
        q = self.ddb.query(TableName=t, IndexName="byExp", KeyConditionExpression="exp = :e",
                           ExpressionAttributeValues={":e": {N: str(now + 3600)}})
        self.assertEqual(q["Count"], 1)  # backfilled from the existing items
        self.ddb.update_table(TableName=t, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "byExp"}}])
        self.assertNotIn("GlobalSecondaryIndexes", self.ddb.describe_table(TableName=t)["Table"])

    # ---- faults ------------------------------------------------------------

    def test_injected_throttling_is_retried_by_boto3(self):
        t = self.table("Fault", rk=None)

        def fault(count, error, method="POST"):
            body = json.dumps({"service": "dynamodb", "operation": "PutItem", "count": count, "error": error}).encode()
            req = urllib.request.Request(self.server.url + "/_stepbench/faults", data=body, method=method)
            urllib.request.urlopen(req).read()

        self.addCleanup(fault, 0, "", method="DELETE")
        # two throttles: boto3 retries ProvisionedThroughputExceededException and succeeds on the third attempt
        fault(2, "ProvisionedThroughputExceededException")
        import boto3
        from botocore.config import Config
        retrying = boto3.client("dynamodb", endpoint_url=self.server.url, region_name="us-east-1",
                                aws_access_key_id="t", aws_secret_access_key="t",
                                config=Config(retries={"max_attempts": 3, "mode": "legacy"}))
        r = retrying.put_item(TableName=t, Item={"pk": {S: "x"}})
        self.assertEqual(r["ResponseMetadata"]["RetryAttempts"], 2)
        fault(1, "ConditionalCheckFailedException")
        self.err("ConditionalCheckFailedException", self.ddb.put_item, TableName=t, Item={"pk": {S: "y"}})
        # without retries the throttle surfaces as boto3's modeled exception
        fault(1, "ProvisionedThroughputExceededException")
        once = boto3.client("dynamodb", endpoint_url=self.server.url, region_name="us-east-1",
                            aws_access_key_id="t", aws_secret_access_key="t",
                            config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))
        with self.assertRaises(once.exceptions.ProvisionedThroughputExceededException):
            once.put_item(TableName=t, Item={"pk": {S: "z"}})
        self.ddb.put_item(TableName=t, Item={"pk": {S: "y"}})  # the fault was used up


class CliDataTest(unittest.TestCase):
    def test_cli_query_update_batch_transact(self):
        with Server() as s:
            s.cli("dynamodb", "create-table", "--table-name", "Cli", "--attribute-definitions",
                  "AttributeName=pk,AttributeType=S", "AttributeName=sk,AttributeType=N", "--key-schema",
                  "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE", "--billing-mode", "PAY_PER_REQUEST")
            items = [{"PutRequest": {"Item": {"pk": {S: "p"}, "sk": {N: str(i)}}}} for i in range(5)]
            s.cli("dynamodb", "batch-write-item", "--request-items", json.dumps({"Cli": items}))
            s.cli("dynamodb", "update-item", "--table-name", "Cli", "--key", json.dumps({"pk": {S: "p"}, "sk": {N: "2"}}),
                  "--update-expression", "SET v = :v", "--expression-attribute-values", json.dumps({":v": {S: "two"}}))
            _, out, _ = s.cli("dynamodb", "query", "--table-name", "Cli", "--key-condition-expression",
                              "pk = :p AND sk >= :s", "--expression-attribute-values",
                              json.dumps({":p": {S: "p"}, ":s": {N: "2"}}), "--no-scan-index-forward")
            self.assertEqual([i["sk"][N] for i in json.loads(out)["Items"]], ["4", "3", "2"])
            _, out, _ = s.cli("dynamodb", "batch-get-item", "--request-items",
                              json.dumps({"Cli": {"Keys": [{"pk": {S: "p"}, "sk": {N: "2"}}]}}))
            self.assertEqual(json.loads(out)["Responses"]["Cli"][0]["v"], {S: "two"})
            code, _, err = s.cli("dynamodb", "transact-write-items", "--transact-items", json.dumps([
                {"ConditionCheck": {"TableName": "Cli", "Key": {"pk": {S: "p"}, "sk": {N: "9"}},
                                    "ConditionExpression": "attribute_exists(pk)"}}]), check=False)
            self.assertNotEqual(code, 0)
            self.assertIn("TransactionCanceledException", err)
            code, _, err = s.cli("dynamodb", "query", "--table-name", "Cli", "--key-condition-expression",
                                 "pk = :p AND", "--expression-attribute-values", json.dumps({":p": {S: "p"}}),
                                 check=False)
            self.assertNotEqual(code, 0)
            self.assertIn('Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "AND"', err)


class CliControlTest(unittest.TestCase):
    """The AWS CLI for the remaining operations: delete-item, transact-get-items, TTL, tags, update-table."""

    def test_cli_control_plane_and_single_item_ops(self):
        with Server() as s:
            _, out, _ = s.cli("dynamodb", "create-table", "--table-name", "Ctl", "--attribute-definitions",
                              "AttributeName=id,AttributeType=S", "--key-schema", "AttributeName=id,KeyType=HASH",
                              "--provisioned-throughput", "ReadCapacityUnits=5,WriteCapacityUnits=5")
            d = json.loads(out)["TableDescription"]
            self.assertEqual(d["ProvisionedThroughput"]["ReadCapacityUnits"], 5)
            arn = d["TableArn"]
            s.cli("dynamodb", "put-item", "--table-name", "Ctl", "--item", json.dumps({"id": {S: "a"}, "v": {N: "1"}}))
            _, out, _ = s.cli("dynamodb", "transact-get-items", "--transact-items",
                              json.dumps([{"Get": {"TableName": "Ctl", "Key": {"id": {S: "a"}}}}]))
            self.assertEqual(json.loads(out)["Responses"][0]["Item"]["v"], {N: "1"})
            _, out, _ = s.cli("dynamodb", "delete-item", "--table-name", "Ctl", "--key", json.dumps({"id": {S: "a"}}),
                              "--return-values", "ALL_OLD")
            self.assertEqual(json.loads(out)["Attributes"]["v"], {N: "1"})
            s.cli("dynamodb", "update-time-to-live", "--table-name", "Ctl", "--time-to-live-specification",
                  "Enabled=true,AttributeName=ttl")
            _, out, _ = s.cli("dynamodb", "describe-time-to-live", "--table-name", "Ctl")
            self.assertEqual(json.loads(out)["TimeToLiveDescription"]["TimeToLiveStatus"], "ENABLED")
            s.cli("dynamodb", "tag-resource", "--resource-arn", arn, "--tags", "Key=team,Value=core")
            _, out, _ = s.cli("dynamodb", "list-tags-of-resource", "--resource-arn", arn)
            self.assertEqual(json.loads(out)["Tags"], [{"Key": "team", "Value": "core"}])
            s.cli("dynamodb", "untag-resource", "--resource-arn", arn, "--tag-keys", "team")
            _, out, _ = s.cli("dynamodb", "list-tags-of-resource", "--resource-arn", arn)
            self.assertEqual(json.loads(out)["Tags"], [])
            _, out, _ = s.cli("dynamodb", "update-table", "--table-name", "Ctl", "--billing-mode", "PAY_PER_REQUEST")
            self.assertEqual(json.loads(out)["TableDescription"]["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
            code, _, err = s.cli("dynamodb", "update-time-to-live", "--table-name", "Ctl",
                                 "--time-to-live-specification", "Enabled=true,AttributeName=ttl", check=False)
            self.assertNotEqual(code, 0)
            self.assertIn("TimeToLive is already enabled", err)
            _, out, _ = s.cli("dynamodb", "execute-statement", "--statement", "SELECT * FROM Ctl")
            self.assertEqual(json.loads(out)["Items"], [])
            _, out, _ = s.cli("dynamodb", "describe-limits")
            self.assertIn("TableMaxReadCapacityUnits", json.loads(out))


if __name__ == "__main__":
    unittest.main(verbosity=2)
