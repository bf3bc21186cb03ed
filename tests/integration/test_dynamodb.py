"""test_dynamodb.py - the DynamoDB mock through the AWS CLI and boto3: tables, items, Scan, errors."""
import json
import os
import sys
import unittest
from decimal import Decimal

sys.path.insert(0, os.path.dirname(__file__))
from serve import Server  # noqa: E402


def user_table(ddb, name="User", **extra):
    return ddb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"},
                              {"AttributeName": "SK", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST", **extra)


class CliTest(unittest.TestCase):
    """The first issue's flow with the AWS CLI: create, put, get, scan, describe, list, delete."""

    def test_cli_round_trip(self):
        with Server() as s:
            _, out, _ = s.cli("dynamodb", "create-table", "--table-name", "User",
                              "--attribute-definitions", "AttributeName=PK,AttributeType=S",
                              "AttributeName=SK,AttributeType=S",
                              "--key-schema", "AttributeName=PK,KeyType=HASH", "AttributeName=SK,KeyType=RANGE",
                              "--billing-mode", "PAY_PER_REQUEST")
            d = json.loads(out)["TableDescription"]
            self.assertEqual(d["TableStatus"], "ACTIVE")
            self.assertEqual(d["TableArn"], "arn:aws:dynamodb:us-east-1:000000000000:table/User")
            item = {"PK": {"S": "user-12345"}, "SK": {"S": "PROFILE"}, "email": {"S": "john.doe@example.com"},
                    "metadata": {"M": {"referralCode": {"S": "FRIEND2025"}, "country": {"S": "US"}}},
                    "score": {"N": "001.50"}}
            s.cli("dynamodb", "put-item", "--table-name", "User", "--item", json.dumps(item))
            _, out, _ = s.cli("dynamodb", "get-item", "--table-name", "User",
                              "--key", json.dumps({"PK": {"S": "user-12345"}, "SK": {"S": "PROFILE"}}))
            got = json.loads(out)["Item"]
            item["score"] = {"N": "1.5"}  # numbers come back in canonical form
            self.assertEqual(got, item)
            _, out, _ = s.cli("dynamodb", "scan", "--table-name", "User")
            sc = json.loads(out)
            self.assertEqual((sc["Count"], sc["ScannedCount"]), (1, 1))
            self.assertEqual(sc["Items"], [item])
            _, out, _ = s.cli("dynamodb", "describe-table", "--table-name", "User")
            t = json.loads(out)["Table"]
            self.assertEqual(t["ItemCount"], 1)
            self.assertGreater(t["TableSizeBytes"], 0)
            _, out, _ = s.cli("dynamodb", "list-tables")
            self.assertEqual(json.loads(out)["TableNames"], ["User"])
            _, out, _ = s.cli("dynamodb", "delete-table", "--table-name", "User")
            self.assertEqual(json.loads(out)["TableDescription"]["TableStatus"], "DELETING")
            code, _, err = s.cli("dynamodb", "describe-table", "--table-name", "User", check=False)
            self.assertNotEqual(code, 0)
            self.assertIn("ResourceNotFoundException", err)
            self.assertIn("Requested resource not found: Table: User not found", err)


class Boto3Test(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().__enter__()
        cls.ddb = cls.server.client("dynamodb")
        cls.res_url = cls.server.url

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def table(self, name):
        user_table(self.ddb, name)
        self.addCleanup(lambda: self.ddb.delete_table(TableName=name))
        return name

    def assertError(self, code, fn, *args, message=None, **kw):
        with self.assertRaises(self.ddb.exceptions.ClientError) as e:
            fn(*args, **kw)
        err = e.exception.response["Error"]
        self.assertEqual(err["Code"], code, err)
        if message is not None:
            self.assertEqual(err["Message"], message)
        self.assertEqual(e.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        return e.exception.response

    def test_put_get_delete_round_trip_every_type(self):
        t = self.table("Types")
        item = {"PK": {"S": "a"}, "SK": {"S": "b"}, "s": {"S": ""}, "n": {"N": "-0.000123e5"},
                "b": {"B": b"\x00\xffbin"}, "t": {"BOOL": True}, "z": {"NULL": True},
                "m": {"M": {"x": {"L": [{"N": "1"}, {"S": "two"}]}}}, "ss": {"SS": ["x", "y"]},
                "ns": {"NS": ["1", "2.5"]}, "bs": {"BS": [b"a", b"b"]}}
        self.ddb.put_item(TableName=t, Item=item)
        got = self.ddb.get_item(TableName=t, Key={"PK": {"S": "a"}, "SK": {"S": "b"}}, ConsistentRead=True)["Item"]
        self.assertEqual(got["n"], {"N": "-12.3"})
        self.assertEqual(got["b"], {"B": b"\x00\xffbin"})
        self.assertEqual(sorted(got["ns"]["NS"]), ["1", "2.5"])
        self.assertEqual(got["m"], item["m"])
        self.assertEqual(got["s"], {"S": ""})
        old = self.ddb.delete_item(TableName=t, Key={"PK": {"S": "a"}, "SK": {"S": "b"}}, ReturnValues="ALL_OLD")
        self.assertEqual(old["Attributes"]["t"], {"BOOL": True})
        self.assertNotIn("Item", self.ddb.get_item(TableName=t, Key={"PK": {"S": "a"}, "SK": {"S": "b"}}))

    def test_put_returns_old_item_and_capacity(self):
        t = self.table("Ret")
        r = self.ddb.put_item(TableName=t, Item={"PK": {"S": "k"}, "SK": {"S": "1"}, "v": {"N": "1"}},
                              ReturnValues="ALL_OLD", ReturnConsumedCapacity="TOTAL")
        self.assertNotIn("Attributes", r)
        self.assertEqual(r["ConsumedCapacity"], {"TableName": t, "CapacityUnits": 1.0, "WriteCapacityUnits": 1.0})
        r = self.ddb.put_item(TableName=t, Item={"PK": {"S": "k"}, "SK": {"S": "1"}, "v": {"N": "2"}},
                              ReturnValues="ALL_OLD")
        self.assertEqual(r["Attributes"]["v"], {"N": "1"})
        r = self.ddb.get_item(TableName=t, Key={"PK": {"S": "k"}, "SK": {"S": "1"}}, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(r["ConsumedCapacity"]["CapacityUnits"], 0.5)

    def test_scan_returns_items_in_key_order_with_numbers_numeric(self):
        self.ddb.create_table(TableName="Nums", AttributeDefinitions=[
            {"AttributeName": "h", "AttributeType": "S"}, {"AttributeName": "r", "AttributeType": "N"}],
            KeySchema=[{"AttributeName": "h", "KeyType": "HASH"}, {"AttributeName": "r", "KeyType": "RANGE"}],
            BillingMode="PAY_PER_REQUEST")
        self.addCleanup(lambda: self.ddb.delete_table(TableName="Nums"))
        vals = ["10", "-1", "2", "0", "-10.5", "1e3", "0.001", "99999999999999999999999999999999999999"]
        for v in vals:
            self.ddb.put_item(TableName="Nums", Item={"h": {"S": "p"}, "r": {"N": v}})
        got = [i["r"]["N"] for i in self.ddb.scan(TableName="Nums")["Items"]]
        self.assertEqual(got, ["-10.5", "-1", "0", "0.001", "2", "10", "1000",
                               "99999999999999999999999999999999999999"])
        page = self.ddb.scan(TableName="Nums", Limit=3)
        self.assertEqual(len(page["Items"]), 3)
        self.assertEqual(page["LastEvaluatedKey"], {"h": {"S": "p"}, "r": {"N": "0"}})
        rest = self.ddb.scan(TableName="Nums", ExclusiveStartKey=page["LastEvaluatedKey"])
        self.assertEqual([i["r"]["N"] for i in rest["Items"]], got[3:])

    def test_parallel_scan_segments_partition_the_table(self):
        t = self.table("Seg")
        for i in range(40):
            self.ddb.put_item(TableName=t, Item={"PK": {"S": "p%d" % i}, "SK": {"S": "x"}})
        seen = []
        for seg in range(4):
            seen += [i["PK"]["S"] for i in self.ddb.scan(TableName=t, Segment=seg, TotalSegments=4)["Items"]]
        self.assertEqual(sorted(seen), sorted("p%d" % i for i in range(40)))
        self.assertError("ValidationException", self.ddb.scan, TableName=t, Segment=4, TotalSegments=4,
                         message="The Segment parameter is zero-based and must be less than parameter TotalSegments: "
                                 "Segment: 4 is not less than TotalSegments: 4")

    def test_table_errors_use_dynamodb_wording(self):
        t = self.table("Errs")
        self.assertError("ResourceInUseException", user_table, self.ddb, t, message="Table already exists: Errs")
        self.assertError("ResourceNotFoundException", self.ddb.get_item, TableName="Missing",
                         Key={"PK": {"S": "a"}}, message="Requested resource not found")
        self.assertError("ResourceNotFoundException", self.ddb.delete_table, TableName="Missing",
                         message="Requested resource not found: Table: Missing not found")
        self.assertError("ValidationException", self.ddb.put_item, TableName=t, Item={"PK": {"S": "a"}},
                         message="One or more parameter values were invalid: Missing the key SK in the item")
        self.assertError("ValidationException", self.ddb.put_item, TableName=t,
                         Item={"PK": {"N": "1"}, "SK": {"S": "a"}},
                         message="One or more parameter values were invalid: Type mismatch for key PK expected: S actual: N")
        self.assertError("ValidationException", self.ddb.get_item, TableName=t, Key={"PK": {"S": "a"}},
                         message="The provided key element does not match the schema")
        self.assertError("ValidationException", self.ddb.put_item, TableName=t,
                         Item={"PK": {"S": ""}, "SK": {"S": "a"}},
                         message="One or more parameter values are not valid. The AttributeValue for a key attribute "
                                 "cannot contain an empty string value. Key: PK")
        self.assertError("ValidationException", self.ddb.put_item, TableName=t,
                         Item={"PK": {"S": "a"}, "SK": {"S": "a"}, "s": {"SS": ["x", "x"]}},
                         message="One or more parameter values were invalid: Input collection [x, x] contains duplicates.")
        self.assertError("ValidationException", self.ddb.put_item, TableName=t,
                         Item={"PK": {"S": "a"}, "SK": {"S": "a"}, "n": {"N": "1" * 39}},
                         message="Attempting to store more than 38 significant digits in a Number")
        self.assertError("ValidationException", self.ddb.put_item, TableName=t,
                         Item={"PK": {"S": "a"}, "SK": {"S": "a"}, "big": {"S": "x" * 409600}},
                         message="Item size has exceeded the maximum allowed size")
        self.assertError("ValidationException", self.ddb.create_table, TableName="ab",
                         AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST",
                         message="1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: "
                                 "Member must have length greater than or equal to 3")
        self.assertError("ValidationException", self.ddb.create_table, TableName="Bad",
                         AttributeDefinitions=[{"AttributeName": "x", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST",
                         message="One or more parameter values were invalid: Some index key attributes are not defined "
                                 "in AttributeDefinitions. Keys: [k], AttributeDefinitions: [x]")

    def test_non_json_body_is_a_serialization_exception(self):
        import urllib.request
        req = urllib.request.Request(self.res_url + "/", data=b"{not json", method="POST", headers={
            "X-Amz-Target": "DynamoDB_20120810.ListTables", "Content-Type": "application/x-amz-json-1.0"})
        try:
            urllib.request.urlopen(req)
            self.fail("expected an error")
        except urllib.error.HTTPError as e:
            self.assertEqual(e.code, 400)
            self.assertTrue(json.loads(e.read())["__type"].endswith("#SerializationException"))
        self.assertIn("TableNames", self.ddb.list_tables())

    def test_list_tables_pages(self):
        for i in range(3):
            self.table("Page%d" % i)
        r = self.ddb.list_tables(Limit=2)
        self.assertEqual(r["TableNames"], ["Page0", "Page1"])
        self.assertEqual(r["LastEvaluatedTableName"], "Page1")
        r = self.ddb.list_tables(ExclusiveStartTableName="Page1")
        self.assertEqual(r["TableNames"], ["Page2"])

    def test_resource_api_with_plain_python_values(self):
        import boto3
        res = boto3.resource("dynamodb", endpoint_url=self.res_url, region_name="us-east-1",
                             aws_access_key_id="t", aws_secret_access_key="t")
        t = res.Table(self.table("Res"))
        t.put_item(Item={"PK": "u", "SK": "1", "price": Decimal("19.99"), "tags": {"a", "b"}, "ok": True})
        got = t.get_item(Key={"PK": "u", "SK": "1"})["Item"]
        self.assertEqual(got["price"], Decimal("19.99"))
        self.assertEqual(got["tags"], {"a", "b"})


if __name__ == "__main__":
    unittest.main(verbosity=2)
