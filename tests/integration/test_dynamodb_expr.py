"""test_dynamodb_expr.py - the DynamoDB expression languages and request options through boto3, feature by
feature: every comparator and function in conditions and filters, every update action, projections with nested
paths and list indexes, placeholder errors, ReturnValues, capacity, item collection metrics, Select, Limit
before the filter, and the legacy (non-expression) parameters."""
import os
import sys
import unittest

import botocore

sys.path.insert(0, os.path.dirname(__file__))
from serve import Server  # noqa: E402

S, N = "S", "N"
K = {"pk": {S: "a"}, "sk": {N: "1"}}

# one item with every attribute type, used by the condition and projection tests
RICH = {**K, "s": {S: "hello world"}, "n": {N: "42"}, "b": {"B": b"\x01\x02\x03"}, "t": {"BOOL": True},
        "z": {"NULL": True}, "l": {"L": [{S: "l0"}, {N: "1"}, {"M": {"deep": {S: "d"}}}]},
        "m": {"M": {"x": {"L": [{N: "10"}, {S: "two"}]}, "y": {S: "why"}, "status": {S: "on"}}},
        "ss": {"SS": ["red", "green"]}, "ns": {"NS": ["1", "2", "3"]}, "bs": {"BS": [b"q"]}}


class ExprTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().__enter__()
        cls.ddb = cls.server.client("dynamodb")
        d = cls.ddb
        d.create_table(TableName="Expr", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": S},
                                                               {"AttributeName": "sk", "AttributeType": N}],
                       KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                  {"AttributeName": "sk", "KeyType": "RANGE"}], BillingMode="PAY_PER_REQUEST")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        self.ddb.put_item(TableName="Expr", Item=RICH)

    def err(self, code, fn, message=None, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            fn(**kw)
        r = e.exception.response
        self.assertEqual(r["Error"]["Code"], code, r["Error"])
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 400)
        if message is not None:
            self.assertEqual(r["Error"]["Message"], message)
        return r

    def holds(self, cond, names=None, values=None):
        """Whether ConditionExpression `cond` holds on RICH (a no-op UpdateItem that only checks it)."""
        kw = {"ExpressionAttributeValues": {":noop": {S: "x"}, **(values or {})}}
        if names:
            kw["ExpressionAttributeNames"] = names
        try:
            self.ddb.update_item(TableName="Expr", Key=K, UpdateExpression="SET noop = :noop",
                                 ConditionExpression=cond, **kw)
            return True
        except self.ddb.exceptions.ConditionalCheckFailedException:
            return False

    # ---- ConditionExpression / FilterExpression ----------------------------------

    def test_comparators(self):
        v = {":42": {N: "42"}, ":41": {N: "41.99"}, ":s": {S: "hello world"}, ":b": {"B": b"\x01\x02"}}
        cases = [("n = :42", True), ("n <> :42", False), ("n <> :41", True), ("n < :42", False), ("n < :41", False),
                 ("n <= :42", True), ("n > :41", True), ("n >= :42", True), ("s = :s", True), ("s > :s", False),
                 ("b > :b", True), ("n = :s", False), ("n < :s", False), ("absent = :42", False),
                 (":41 < n", True), ("n = n", True), ("m.x[0] < n", True), ("m.x[0] > n", False)]
        for cond, want in cases:
            vals = {k: x for k, x in v.items() if k in cond}
            self.assertEqual(self.holds(cond, values=vals), want, cond)

    def test_between_in_and_logic(self):
        v = {":lo": {N: "40"}, ":hi": {N: "42"}, ":x": {N: "1"}, ":y": {N: "42"}, ":no": {N: "43"}}
        cases = [("n BETWEEN :lo AND :hi", True), ("n BETWEEN :x AND :lo", False),
                 ("n IN (:x, :y)", True), ("n IN (:x, :no)", False), ("n IN (:y)", True),
                 ("n = :x OR n = :y", True), ("n = :x AND n = :y", False), ("NOT n = :x", True),
                 ("NOT (n = :x OR n = :y)", False),
                 # precedence: NOT binds tighter than AND, which binds tighter than OR
                 ("n = :y OR n = :x AND n = :no", True), ("(n = :y OR n = :x) AND n = :no", False),
                 ("NOT n = :y AND n = :x", False), ("NOT n = :x AND n = :y", True)]
        for cond, want in cases:
            vals = {k: x for k, x in v.items() if k in cond}
            self.assertEqual(self.holds(cond, values=vals), want, cond)
        self.err("ValidationException", self.holds, cond="n BETWEEN :hi AND :lo",
                 values={":lo": {N: "40"}, ":hi": {N: "42"}},
                 message="Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than "
                         "or equal to lower bound; lower bound operand: AttributeValue: {N:42}, upper bound operand: "
                         "AttributeValue: {N:40}")

    def test_functions(self):
        vals = {":S": {S: "S"}, ":N": {S: "N"}, ":B": {S: "B"}, ":BOOL": {S: "BOOL"}, ":NULL": {S: "NULL"},
                ":L": {S: "L"}, ":M": {S: "M"}, ":SS": {S: "SS"}, ":NS": {S: "NS"}, ":BS": {S: "BS"}}
        for attr, typ in [("s", ":S"), ("n", ":N"), ("b", ":B"), ("t", ":BOOL"), ("z", ":NULL"), ("l", ":L"),
                          ("m", ":M"), ("ss", ":SS"), ("ns", ":NS"), ("bs", ":BS")]:
            self.assertTrue(self.holds("attribute_type(%s, %s)" % (attr, typ), values={typ: vals[typ]}), attr)
            if typ != ":S":
                self.assertFalse(self.holds("attribute_type(%s, :S)" % attr, values={":S": {S: "S"}}), attr)
        cases = [("attribute_exists(s)", {}, True), ("attribute_exists(nope)", {}, False),
                 ("attribute_exists(m.x[1])", {}, True), ("attribute_exists(m.x[2])", {}, False),
                 ("attribute_exists(l[2].deep)", {}, True), ("attribute_not_exists(nope)", {}, True),
                 ("attribute_not_exists(s)", {}, False),
                 ("begins_with(s, :p)", {":p": {S: "hell"}}, True), ("begins_with(s, :p)", {":p": {S: "world"}}, False),
                 ("begins_with(b, :p)", {":p": {"B": b"\x01"}}, True),
                 ("contains(s, :p)", {":p": {S: "o w"}}, True), ("contains(s, :p)", {":p": {S: "xyz"}}, False),
                 ("contains(ss, :p)", {":p": {S: "red"}}, True), ("contains(ss, :p)", {":p": {S: "re"}}, False),
                 ("contains(ns, :p)", {":p": {N: "2.0"}}, True), ("contains(l, :p)", {":p": {S: "l0"}}, True),
                 ("contains(l, :p)", {":p": {N: "1"}}, True), ("contains(bs, :p)", {":p": {"B": b"q"}}, True),
                 ("size(s) = :n", {":n": {N: "11"}}, True), ("size(b) = :n", {":n": {N: "3"}}, True),
                 ("size(l) = :n", {":n": {N: "3"}}, True), ("size(m) = :n", {":n": {N: "3"}}, True),
                 ("size(ss) = :n", {":n": {N: "2"}}, True), ("size(ns) > :n", {":n": {N: "2"}}, True),
                 ("size(m.x) BETWEEN :n AND :n", {":n": {N: "2"}}, True), ("size(nope) >= :n", {":n": {N: "0"}}, False)]
        for cond, v, want in cases:
            self.assertEqual(self.holds(cond, values=v), want, cond)
        r = self.err("ValidationException", self.holds, cond="attribute_type(s, :t)", values={":t": {S: "STRING"}})
        self.assertTrue(r["Error"]["Message"].startswith(
            "Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: "))
        self.assertFalse(self.holds("begins_with(n, s)"))  # a path of the wrong type is simply false
        self.err("ValidationException", self.holds, cond="begins_with(s, :n)", values={":n": {N: "1"}},
                 message="Invalid ConditionExpression: Incorrect operand type for operator or function; "
                         "operator or function: begins_with, operand type: N")
        self.err("ValidationException", self.holds, cond="size(s)",
                 message='Invalid ConditionExpression: The function is not allowed to be used this way in an '
                         'expression; function: size')

    def test_placeholders_and_their_errors(self):
        self.assertTrue(self.holds("#m.#st = :on AND #m.x[1] = :two", names={"#m": "m", "#st": "status"},
                                   values={":on": {S: "on"}, ":two": {S: "two"}}))
        up = dict(TableName="Expr", Key=K, UpdateExpression="SET v = :v")
        self.err("ValidationException", self.ddb.update_item, **up,
                 ExpressionAttributeValues={":v": {S: "x"}, ":w": {S: "y"}},
                 message="Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}")
        self.err("ValidationException", self.ddb.update_item, **up, ExpressionAttributeValues={":v": {S: "x"}},
                 ExpressionAttributeNames={"#a": "a"},
                 message="Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}")
        self.err("ValidationException", self.ddb.update_item, TableName="Expr", Key=K, UpdateExpression="SET v = :v",
                 message="Invalid UpdateExpression: An expression attribute value used in expression is not defined; "
                         "attribute value: :v")
        self.err("ValidationException", self.ddb.update_item, TableName="Expr", Key=K, UpdateExpression="SET #v = :v",
                 ExpressionAttributeValues={":v": {S: "x"}},
                 message="Invalid UpdateExpression: An expression attribute name used in the document path is not "
                         "defined; attribute name: #v")
        self.err("ValidationException", self.ddb.update_item, TableName="Expr", Key=K,
                 UpdateExpression="SET status = :v", ExpressionAttributeValues={":v": {S: "x"}},
                 message="Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status")
        self.err("ValidationException", self.ddb.get_item, TableName="Expr", Key=K, ProjectionExpression="s, #x",
                 message="Invalid ProjectionExpression: An expression attribute name used in the document path is "
                         "not defined; attribute name: #x")
        self.err("ValidationException", self.holds, cond="n = = :v", values={":v": {N: "1"}},
                 message='Invalid ConditionExpression: Syntax error; token: "=", near: "= = :v"')

    def test_filter_expression_on_scan_and_limit_before_filter(self):
        for i in range(2, 12):
            self.ddb.put_item(TableName="Expr", Item={"pk": {S: "f"}, "sk": {N: str(i)}, "n": {N: str(i % 3)}})
        self.addCleanup(lambda: [self.ddb.delete_item(TableName="Expr", Key={"pk": {S: "f"}, "sk": {N: str(i)}})
                                 for i in range(2, 12)])
        r = self.ddb.query(TableName="Expr", KeyConditionExpression="pk = :f", FilterExpression="n = :z",
                           ExpressionAttributeValues={":f": {S: "f"}, ":z": {N: "0"}}, Limit=4)
        # the first 4 items read are sk 2..5; of those only 3 has n = 0
        self.assertEqual([i["sk"][N] for i in r["Items"]], ["3"])
        self.assertEqual((r["Count"], r["ScannedCount"]), (1, 4))
        self.assertEqual(r["LastEvaluatedKey"], {"pk": {S: "f"}, "sk": {N: "5"}})
        r = self.ddb.scan(TableName="Expr", FilterExpression="pk = :f AND (n IN (:z) OR sk BETWEEN :a AND :b)",
                          ExpressionAttributeValues={":f": {S: "f"}, ":z": {N: "0"}, ":a": {N: "10"}, ":b": {N: "11"}})
        self.assertEqual(sorted(int(i["sk"][N]) for i in r["Items"]), [3, 6, 9, 10, 11])
        self.assertEqual(r["ScannedCount"], 11)

    def test_key_condition_operators(self):
        for i in range(2, 7):
            self.ddb.put_item(TableName="Expr", Item={"pk": {S: "k"}, "sk": {N: str(i)}})
        self.addCleanup(lambda: [self.ddb.delete_item(TableName="Expr", Key={"pk": {S: "k"}, "sk": {N: str(i)}})
                                 for i in range(2, 7)])

        def q(cond, **v):
            vals = {":p": {S: "k"}, **{":" + k: {N: x} for k, x in v.items()}}
            r = self.ddb.query(TableName="Expr", KeyConditionExpression=cond, ExpressionAttributeValues=vals)
            return [int(i["sk"][N]) for i in r["Items"]]

        self.assertEqual(q("pk = :p"), [2, 3, 4, 5, 6])
        self.assertEqual(q("pk = :p AND sk = :v", v="4"), [4])
        self.assertEqual(q("pk = :p AND sk < :v", v="4"), [2, 3])
        self.assertEqual(q("pk = :p AND sk <= :v", v="4"), [2, 3, 4])
        self.assertEqual(q("pk = :p AND sk > :v", v="4"), [5, 6])
        self.assertEqual(q("pk = :p AND sk >= :v", v="4"), [4, 5, 6])
        self.assertEqual(q("sk BETWEEN :a AND :b AND pk = :p", a="3", b="5"), [3, 4, 5])
        self.assertEqual(q("(pk = :p) AND (sk > :v)", v="5"), [6])
        self.err("ValidationException", q, cond="pk = :p AND sk <> :v", v="4",
                 message="Invalid operator used in KeyConditionExpression: <>")
        self.err("ValidationException", q, cond="pk = :p OR sk = :v", v="4",
                 message="Invalid operator used in KeyConditionExpression: OR")
        self.err("ValidationException", self.ddb.query, TableName="Expr", KeyConditionExpression="sk = :v",
                 ExpressionAttributeValues={":v": {N: "4"}}, message="Query condition missed key schema element: pk")
        # begins_with on a string sort key
        self.ddb.create_table(TableName="Str", AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": S}, {"AttributeName": "sk", "AttributeType": S}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            BillingMode="PAY_PER_REQUEST")
        self.addCleanup(lambda: self.ddb.delete_table(TableName="Str"))
        for s in ["ORDER#1", "ORDER#2", "ORDEX", "PROFILE", "ORD"]:
            self.ddb.put_item(TableName="Str", Item={"pk": {S: "u"}, "sk": {S: s}})
        r = self.ddb.query(TableName="Str", KeyConditionExpression="pk = :u AND begins_with(sk, :o)",
                           ExpressionAttributeValues={":u": {S: "u"}, ":o": {S: "ORDER#"}}, ScanIndexForward=False)
        self.assertEqual([i["sk"][S] for i in r["Items"]], ["ORDER#2", "ORDER#1"])
        self.err("ValidationException", q, cond="pk = :p AND begins_with(sk, :v)", v="4",
                 message="Invalid KeyConditionExpression: Incorrect operand type for operator or function; "
                         "operator or function: begins_with, operand type: N")

    # ---- UpdateExpression ---------------------------------------------------------

    def test_update_actions(self):
        def upd(expr, rv="ALL_NEW", **v):
            kw = {"ExpressionAttributeValues": v} if v else {}
            if "#new" in expr:
                kw["ExpressionAttributeNames"] = {"#new": "new"}
            return self.ddb.update_item(TableName="Expr", Key=K, UpdateExpression=expr, ReturnValues=rv, **kw)

        a = upd("SET n = n + :d, n2 = n - :d, m.y = :w, m.#new = :w, l[1] = :w, l[9] = :w",
                **{":d": {N: "0.5"}, ":w": {S: "W"}})["Attributes"]
        self.assertEqual(a["n"], {N: "42.5"})
        self.assertEqual(a["n2"], {N: "41.5"})
        self.assertEqual((a["m"]["M"]["y"], a["m"]["M"]["new"]), ({S: "W"}, {S: "W"}))
        self.assertEqual(a["l"]["L"], [{S: "l0"}, {S: "W"}, {"M": {"deep": {S: "d"}}}, {S: "W"}])
        self.err("ValidationException", upd, expr="SET m.a.b = :w", **{":w": {S: "W"}},
                 message="The document path provided in the update expression is invalid for update")
        a = upd("SET c = if_not_exists(c, :z), s = if_not_exists(s, :z), l = list_append(:front, l)",
                **{":z": {N: "0"}, ":front": {"L": [{S: "first"}]}})["Attributes"]
        self.assertEqual((a["c"], a["s"]), ({N: "0"}, {S: "hello world"}))
        self.assertEqual(a["l"]["L"][0], {S: "first"})
        a = upd("REMOVE l[0], l[2], m.y, t", rv="ALL_NEW")["Attributes"]
        self.assertEqual(a["l"]["L"], [{S: "l0"}, {"M": {"deep": {S: "d"}}}, {S: "W"}])
        self.assertNotIn("t", a)
        self.assertNotIn("y", a["m"]["M"])
        a = upd("ADD n :one, fresh :one, ns :more, ss :sm", **{":one": {N: "1"}, ":more": {"NS": ["3", "4"]},
                                                                ":sm": {"SS": ["blue"]}})["Attributes"]
        self.assertEqual((a["n"], a["fresh"]), ({N: "43.5"}, {N: "1"}))
        self.assertEqual(sorted(a["ns"]["NS"], key=float), ["1", "2", "3", "4"])
        self.assertEqual(sorted(a["ss"]["SS"]), ["blue", "green", "red"])
        a = upd("DELETE ns :d, ss :gone", **{":d": {"NS": ["1", "4", "99"]}, ":gone": {"SS": ["nope"]}})["Attributes"]
        self.assertEqual(sorted(a["ns"]["NS"], key=float), ["2", "3"])
        self.err("ValidationException", upd, expr="SET l = list_append(l, :s)", **{":s": {S: "x"}},
                 message="Invalid UpdateExpression: Incorrect operand type for operator or function; operator or "
                         "function: list_append, operand type: S")
        self.err("ValidationException", upd, expr="SET a = :v REMOVE a", **{":v": {S: "x"}},
                 message="Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
                         "rewrite one of these paths; path one: [a], path two: [a]")
        self.err("ValidationException", upd, expr="DELETE n :d", **{":d": {"NS": ["1"]}},
                 message="An operand in the update expression has an incorrect data type")
        self.err("ValidationException", upd, expr="SET pk = :v", **{":v": {S: "x"}},
                 message="One or more parameter values were invalid: Cannot update attribute pk. "
                         "This attribute is part of the key")

    def test_return_values_variants(self):
        def upd(rv):
            return self.ddb.update_item(TableName="Expr", Key=K, UpdateExpression="SET n = :v, added = :v REMOVE z",
                                        ExpressionAttributeValues={":v": {N: "7"}}, ReturnValues=rv)

        self.assertNotIn("Attributes", upd("NONE"))
        self.setUp()
        self.assertEqual(upd("UPDATED_OLD")["Attributes"], {"n": {N: "42"}, "z": {"NULL": True}})
        self.setUp()
        self.assertEqual(upd("UPDATED_NEW")["Attributes"], {"n": {N: "7"}, "added": {N: "7"}})
        self.setUp()
        self.assertEqual(upd("ALL_OLD")["Attributes"], RICH)
        self.setUp()
        new = upd("ALL_NEW")["Attributes"]
        self.assertEqual(new["added"], {N: "7"})
        self.assertNotIn("z", new)
        self.assertEqual(new["s"], RICH["s"])
        # nested updates return the nested part only
        r = self.ddb.update_item(TableName="Expr", Key=K, UpdateExpression="SET m.y = :v",
                                 ExpressionAttributeValues={":v": {S: "new"}}, ReturnValues="UPDATED_NEW")
        self.assertEqual(r["Attributes"], {"m": {"M": {"y": {S: "new"}}}})
        self.setUp()
        self.err("ValidationException", self.ddb.put_item, TableName="Expr", Item=RICH, ReturnValues="ALL_NEW",
                 message="ReturnValues can only be ALL_OLD or NONE")
        self.err("ValidationException", self.ddb.delete_item, TableName="Expr", Key=K, ReturnValues="UPDATED_OLD",
                 message="ReturnValues can only be ALL_OLD or NONE")
        r = self.err("ConditionalCheckFailedException", self.ddb.put_item, TableName="Expr", Item=K,
                     ConditionExpression="attribute_not_exists(pk)", ReturnValuesOnConditionCheckFailure="ALL_OLD")
        self.assertEqual(r["Item"], RICH)
        r = self.err("ConditionalCheckFailedException", self.ddb.put_item, TableName="Expr", Item=K,
                     ConditionExpression="attribute_not_exists(pk)")
        self.assertNotIn("Item", r)

    # ---- ProjectionExpression ---------------------------------------------------------

    def test_projection_with_nested_paths_and_list_indexes(self):
        r = self.ddb.get_item(TableName="Expr", Key=K, ProjectionExpression="m.x[1], l[2].deep, #st, s, nope, l[7]",
                              ExpressionAttributeNames={"#st": "t"})["Item"]
        self.assertEqual(r, {"m": {"M": {"x": {"L": [{S: "two"}]}}}, "l": {"L": [{"M": {"deep": {S: "d"}}}]},
                             "t": {"BOOL": True}, "s": {S: "hello world"}})
        r = self.ddb.get_item(TableName="Expr", Key=K, ProjectionExpression="l[0], l[2], m.y")["Item"]
        self.assertEqual(r, {"l": {"L": [{S: "l0"}, {"M": {"deep": {S: "d"}}}]}, "m": {"M": {"y": {S: "why"}}}})
        q = self.ddb.query(TableName="Expr", KeyConditionExpression="pk = :a", ProjectionExpression="m.x[0]",
                           ExpressionAttributeValues={":a": {S: "a"}})
        self.assertEqual(q["Items"], [{"m": {"M": {"x": {"L": [{N: "10"}]}}}}])
        s = self.ddb.scan(TableName="Expr", ProjectionExpression="ns, pk")
        self.assertEqual(s["Items"], [{"ns": RICH["ns"], "pk": {S: "a"}}])
        self.err("ValidationException", self.ddb.get_item, TableName="Expr", Key=K, ProjectionExpression="m, m.x",
                 message="Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
                         "rewrite one of these paths; path one: [m], path two: [m, x]")
        self.err("ValidationException", self.ddb.get_item, TableName="Expr", Key=K, ProjectionExpression="s,",
                 message='Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","')

    # ---- Select and legacy parameters ---------------------------------------------------

    def test_select_variants(self):
        base = dict(TableName="Expr", KeyConditionExpression="pk = :a", ExpressionAttributeValues={":a": {S: "a"}})
        self.assertEqual(self.ddb.query(**base, Select="ALL_ATTRIBUTES")["Items"], [RICH])
        r = self.ddb.query(**base, Select="SPECIFIC_ATTRIBUTES", ProjectionExpression="s")
        self.assertEqual(r["Items"], [{"s": RICH["s"]}])
        r = self.ddb.query(**base, Select="COUNT")
        self.assertEqual((r["Count"], r["ScannedCount"], "Items" in r), (1, 1, False))
        self.err("ValidationException", self.ddb.query, **base, Select="ALL_PROJECTED_ATTRIBUTES")
        self.err("ValidationException", self.ddb.query, **base, Select="ALL_ATTRIBUTES", ProjectionExpression="s",
                 message="Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES")
        self.err("ValidationException", self.ddb.scan, TableName="Expr", Select="COUNT", ProjectionExpression="s",
                 message="Cannot specify the ProjectionExpression when choosing to get COUNT")

    def test_legacy_parameters(self):
        r = self.ddb.get_item(TableName="Expr", Key=K, AttributesToGet=["s", "n", "nope"])
        self.assertEqual(r["Item"], {"s": RICH["s"], "n": RICH["n"]})
        for i in range(2, 6):
            self.ddb.put_item(TableName="Expr", Item={"pk": {S: "a"}, "sk": {N: str(i)}, "v": {S: "v%d" % i}})
        self.addCleanup(lambda: [self.ddb.delete_item(TableName="Expr", Key={"pk": {S: "a"}, "sk": {N: str(i)}})
                                 for i in range(2, 6)])
        r = self.ddb.query(TableName="Expr", KeyConditions={
            "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{S: "a"}]},
            "sk": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{N: "2"}, {N: "5"}]}},
            QueryFilter={"v": {"ComparisonOperator": "IN", "AttributeValueList": [{S: "v2"}, {S: "v4"}, {S: "x"}]}},
            AttributesToGet=["sk"])
        self.assertEqual([i["sk"][N] for i in r["Items"]], ["2", "4"])
        self.assertEqual(r["ScannedCount"], 4)
        r = self.ddb.query(TableName="Expr", KeyConditions={
            "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{S: "a"}]},
            "sk": {"ComparisonOperator": "GT", "AttributeValueList": [{N: "3"}]}},
            QueryFilter={"v": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{S: "v"}]},
                         "n": {"ComparisonOperator": "NULL"}}, ConditionalOperator="AND")
        self.assertEqual([i["sk"][N] for i in r["Items"]], ["4", "5"])
        r = self.ddb.scan(TableName="Expr", ScanFilter={
            "ss": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{S: "red"}]},
            "v": {"ComparisonOperator": "EQ", "AttributeValueList": [{S: "v3"}]}}, ConditionalOperator="OR")
        self.assertEqual(sorted(i["sk"][N] for i in r["Items"]), ["1", "3"])
        r = self.ddb.scan(TableName="Expr", ScanFilter={
            "n": {"ComparisonOperator": "NOT_NULL"}, "s": {"ComparisonOperator": "NOT_CONTAINS",
                                                          "AttributeValueList": [{S: "zzz"}]},
            "sk": {"ComparisonOperator": "LE", "AttributeValueList": [{N: "1"}]}})
        self.assertEqual([i["sk"][N] for i in r["Items"]], ["1"])
        r = self.ddb.update_item(TableName="Expr", Key=K, AttributeUpdates={
            "s": {"Action": "PUT", "Value": {S: "put"}}, "n": {"Action": "ADD", "Value": {N: "-2"}},
            "ss": {"Action": "DELETE", "Value": {"SS": ["red"]}}, "t": {"Action": "DELETE"}},
            Expected={"n": {"Value": {N: "42"}}, "gone": {"Exists": False}}, ReturnValues="UPDATED_NEW")
        self.assertEqual(r["Attributes"], {"s": {S: "put"}, "n": {N: "40"}, "ss": {"SS": ["green"]}})
        self.err("ConditionalCheckFailedException", self.ddb.delete_item, TableName="Expr", Key=K,
                 Expected={"n": {"ComparisonOperator": "LT", "AttributeValueList": [{N: "40"}]}})
        self.err("ValidationException", self.ddb.get_item, TableName="Expr", Key=K, AttributesToGet=["s"],
                 ProjectionExpression="s",
                 message="Can not use both expression and non-expression parameters in the same request: "
                         "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")

    # ---- indexes: Select, Scan with paging, limits -------------------------------------------

    def test_index_select_scan_and_limits(self):
        d = self.ddb
        gsi = [{"IndexName": "byG%d" % i, "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"}} for i in range(21)]
        lsi = [{"IndexName": "byL%d" % i, "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                          {"AttributeName": "g", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"}} for i in range(6)]
        base = dict(TableName="Idx", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": S},
                                                            {"AttributeName": "sk", "AttributeType": N},
                                                            {"AttributeName": "g", "AttributeType": S}],
                    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                    BillingMode="PAY_PER_REQUEST")
        self.err("LimitExceededException", d.create_table, **base, GlobalSecondaryIndexes=gsi)
        self.err("ValidationException", d.create_table, **base, LocalSecondaryIndexes=lsi,
                 message="One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds "
                         "per-table limit of 5")
        t = d.create_table(**base, GlobalSecondaryIndexes=gsi[:20], LocalSecondaryIndexes=lsi[:5])
        self.addCleanup(lambda: d.delete_table(TableName="Idx"))
        self.assertEqual((len(t["TableDescription"]["GlobalSecondaryIndexes"]),
                          len(t["TableDescription"]["LocalSecondaryIndexes"])), (20, 5))
        for i in range(5):
            d.put_item(TableName="Idx", Item={"pk": {S: "p"}, "sk": {N: str(i)}, "g": {S: "g%d" % (4 - i)},
                                              "extra": {S: "e"}})
        d.put_item(TableName="Idx", Item={"pk": {S: "p"}, "sk": {N: "9"}})  # not in any index (sparse)
        r = d.query(TableName="Idx", IndexName="byG3", KeyConditionExpression="g = :g",
                    ExpressionAttributeValues={":g": {S: "g1"}}, Select="ALL_PROJECTED_ATTRIBUTES")
        self.assertEqual(r["Items"], [{"pk": {S: "p"}, "sk": {N: "3"}, "g": {S: "g1"}}])
        page = d.scan(TableName="Idx", IndexName="byL2", Limit=3)
        self.assertEqual([i["g"][S] for i in page["Items"]], ["g0", "g1", "g2"])  # index order, sparse
        self.assertEqual(page["LastEvaluatedKey"], {"pk": {S: "p"}, "sk": {N: "2"}, "g": {S: "g2"}})
        rest = d.scan(TableName="Idx", IndexName="byL2", ExclusiveStartKey=page["LastEvaluatedKey"])
        self.assertEqual([i["g"][S] for i in rest["Items"]], ["g3", "g4"])
        self.assertEqual(rest["Items"][0]["extra"], {S: "e"})
        r = d.scan(TableName="Idx", IndexName="byG0", Select="COUNT")
        self.assertEqual((r["Count"], r["ScannedCount"]), (5, 5))

    def test_transaction_put_update_delete_and_condition_check(self):
        d = self.ddb
        a, b = {"pk": {S: "tx"}, "sk": {N: "1"}}, {"pk": {S: "tx"}, "sk": {N: "2"}}
        d.put_item(TableName="Expr", Item={**b, "v": {N: "1"}})
        self.addCleanup(lambda: d.delete_item(TableName="Expr", Key=a))
        d.transact_write_items(TransactItems=[
            {"Put": {"TableName": "Expr", "Item": {**a, "v": {N: "5"}}, "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Delete": {"TableName": "Expr", "Key": b, "ConditionExpression": "v = :one",
                        "ExpressionAttributeValues": {":one": {N: "1"}}}},
            {"ConditionCheck": {"TableName": "Expr", "Key": K, "ConditionExpression": "size(ss) = :two",
                                "ExpressionAttributeValues": {":two": {N: "2"}}}}])
        got = d.transact_get_items(TransactItems=[{"Get": {"TableName": "Expr", "Key": k}} for k in (a, b)])
        self.assertEqual([g.get("Item") for g in got["Responses"]], [{**a, "v": {N: "5"}}, None])
        r = self.err("TransactionCanceledException", d.transact_write_items, TransactItems=[
            {"Update": {"TableName": "Expr", "Key": a, "UpdateExpression": "SET v = :x",
                        "ExpressionAttributeValues": {":x": {N: "6"}}}},
            {"Put": {"TableName": "Expr", "Item": {**b}, "ConditionExpression": "attribute_exists(pk)"}}])
        self.assertEqual([x["Code"] for x in r["CancellationReasons"]], ["None", "ConditionalCheckFailed"])
        self.assertEqual(d.get_item(TableName="Expr", Key=a)["Item"]["v"], {N: "5"})  # nothing applied

    # ---- capacity and item collection metrics ------------------------------------------

    def test_consumed_capacity_and_item_collection_metrics(self):
        d = self.ddb
        d.create_table(TableName="Cap", AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": S}, {"AttributeName": "sk", "AttributeType": S},
            {"AttributeName": "g", "AttributeType": S}, {"AttributeName": "l", "AttributeType": S}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            LocalSecondaryIndexes=[{"IndexName": "byL", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                    {"AttributeName": "l", "KeyType": "RANGE"}],
                                    "Projection": {"ProjectionType": "ALL"}}],
            GlobalSecondaryIndexes=[{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                     "Projection": {"ProjectionType": "KEYS_ONLY"}}], BillingMode="PAY_PER_REQUEST")
        self.addCleanup(lambda: d.delete_table(TableName="Cap"))
        item = {"pk": {S: "p"}, "sk": {S: "1"}, "g": {S: "g"}, "l": {S: "l"}, "pad": {S: "x" * 1500}}
        r = d.put_item(TableName="Cap", Item=item, ReturnConsumedCapacity="INDEXES", ReturnItemCollectionMetrics="SIZE")
        c = r["ConsumedCapacity"]
        # 1.5 KB rounds up to 2 write units on the table and on the LSI (ALL); the GSI keeps only the keys: 1
        self.assertEqual(c["Table"]["CapacityUnits"], 2.0)
        self.assertEqual(c["LocalSecondaryIndexes"]["byL"]["CapacityUnits"], 2.0)
        self.assertEqual(c["GlobalSecondaryIndexes"]["byG"]["CapacityUnits"], 1.0)
        self.assertEqual(c["CapacityUnits"], 5.0)
        self.assertEqual(r["ItemCollectionMetrics"]["ItemCollectionKey"], {"pk": {S: "p"}})
        lo, hi = r["ItemCollectionMetrics"]["SizeEstimateRangeGB"]
        self.assertLessEqual(lo, hi)
        r = d.get_item(TableName="Cap", Key={"pk": {S: "p"}, "sk": {S: "1"}}, ConsistentRead=True,
                       ReturnConsumedCapacity="TOTAL")
        self.assertEqual(r["ConsumedCapacity"]["CapacityUnits"], 1.0)  # strongly consistent: 1 unit per 4 KB
        r = d.get_item(TableName="Cap", Key={"pk": {S: "p"}, "sk": {S: "1"}}, ReturnConsumedCapacity="NONE")
        self.assertNotIn("ConsumedCapacity", r)
        r = d.update_item(TableName="Cap", Key={"pk": {S: "p"}, "sk": {S: "1"}}, UpdateExpression="SET v = :v",
                          ExpressionAttributeValues={":v": {S: "x"}}, ReturnConsumedCapacity="TOTAL",
                          ReturnItemCollectionMetrics="SIZE")
        # the table and the LSI (ALL) rewrite 2 KB; the GSI entry (keys only) is unchanged: no index write
        self.assertEqual(r["ConsumedCapacity"]["CapacityUnits"], 4.0)
        self.assertIn("ItemCollectionMetrics", r)
        r = d.update_item(TableName="Cap", Key={"pk": {S: "p"}, "sk": {S: "1"}}, UpdateExpression="SET g = :h",
                          ExpressionAttributeValues={":h": {S: "h"}}, ReturnConsumedCapacity="INDEXES")
        # a changed GSI key costs two index writes: delete the old entry, put the new one
        self.assertEqual(r["ConsumedCapacity"]["GlobalSecondaryIndexes"]["byG"]["CapacityUnits"], 2.0)
        self.assertEqual(r["ConsumedCapacity"]["CapacityUnits"], 6.0)
        r = d.update_item(TableName="Cap", Key={"pk": {S: "p"}, "sk": {S: "1"}}, UpdateExpression="REMOVE l",
                          ReturnConsumedCapacity="INDEXES")
        # the item leaves the LSI: one write of its old entry
        self.assertEqual(r["ConsumedCapacity"]["LocalSecondaryIndexes"]["byL"]["CapacityUnits"], 2.0)
        self.assertNotIn("GlobalSecondaryIndexes", r["ConsumedCapacity"])  # its keys-only entry is unchanged
        self.assertEqual(r["ConsumedCapacity"]["CapacityUnits"], 4.0)
        d.put_item(TableName="Cap", Item=item)
        r = d.delete_item(TableName="Cap", Key={"pk": {S: "p"}, "sk": {S: "1"}}, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(r["ConsumedCapacity"]["CapacityUnits"], 5.0)
        r = d.batch_write_item(RequestItems={"Cap": [{"PutRequest": {"Item": item}}]},
                               ReturnConsumedCapacity="TOTAL", ReturnItemCollectionMetrics="SIZE")
        self.assertEqual(r["ConsumedCapacity"], [{"TableName": "Cap", "CapacityUnits": 5.0, "WriteCapacityUnits": 5.0}])
        self.assertEqual(r["ItemCollectionMetrics"]["Cap"][0]["ItemCollectionKey"], {"pk": {S: "p"}})
        r = d.transact_write_items(TransactItems=[{"Put": {"TableName": "Cap", "Item": {"pk": {S: "t"},
                                                                                        "sk": {S: "1"}}}}],
                                   ReturnConsumedCapacity="TOTAL")
        # transactions cost double: 2 units per KB on the table, and the item has no index keys
        self.assertEqual(r["ConsumedCapacity"], [{"TableName": "Cap", "CapacityUnits": 2.0,
                                                  "WriteCapacityUnits": 2.0}])
        r = d.transact_get_items(TransactItems=[{"Get": {"TableName": "Cap", "Key": {"pk": {S: "t"},
                                                                                       "sk": {S: "1"}}}}],
                                 ReturnConsumedCapacity="TOTAL")
        self.assertEqual(r["ConsumedCapacity"], [{"TableName": "Cap", "CapacityUnits": 2.0,
                                                  "ReadCapacityUnits": 2.0}])


if __name__ == "__main__":
    unittest.main(verbosity=2)
