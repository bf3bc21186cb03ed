"""test_dynamodb_cli.py - the DynamoDB mock through the AWS CLI: each operation (with its main options) at least
once, and the expression features in a few rich calls. boto3 covers the same ground in depth
(test_dynamodb_expr.py, test_dynamodb_data.py); an `aws` call costs about half a second, so this stays compact.
Operations already driven through the CLI by test_dynamodb.py and test_dynamodb_data.py are not repeated."""
import json
import os
import sys
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from serve import Server  # noqa: E402

S, N = "S", "N"
J = json.dumps


class CliExpressionTest(unittest.TestCase):
    def test_every_operation_and_expression_feature_through_the_cli(self):
        with Server() as s:
            def aws(*args):
                return json.loads(s.cli("dynamodb", *args)[1] or "{}")

            def fails(code, message, *args):
                rc, _, err = s.cli("dynamodb", *args, check=False)
                self.assertNotEqual(rc, 0, args)
                self.assertIn("(%s)" % code, err)
                self.assertIn(message, err)

            # -- control plane: hash+range table with an LSI (KEYS_ONLY) and a GSI (INCLUDE) ----------------
            d = aws("create-table", "--table-name", "Shop", "--billing-mode", "PAY_PER_REQUEST",
                    "--attribute-definitions", "AttributeName=pk,AttributeType=S", "AttributeName=sk,AttributeType=N",
                    "AttributeName=st,AttributeType=S", "AttributeName=tot,AttributeType=N",
                    "--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE",
                    "--local-secondary-indexes", J([{"IndexName": "byTot", "KeySchema": [
                        {"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "tot", "KeyType": "RANGE"}],
                        "Projection": {"ProjectionType": "KEYS_ONLY"}}]),
                    "--global-secondary-indexes", J([{"IndexName": "bySt", "KeySchema": [
                        {"AttributeName": "st", "KeyType": "HASH"}, {"AttributeName": "tot", "KeyType": "RANGE"}],
                        "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["s"]}}]))["TableDescription"]
            self.assertEqual([i["IndexName"] for i in d["LocalSecondaryIndexes"]], ["byTot"])
            self.assertEqual(d["GlobalSecondaryIndexes"][0]["Projection"]["NonKeyAttributes"], ["s"])
            aws("create-table", "--table-name", "Other", "--attribute-definitions", "AttributeName=id,AttributeType=S",
                "--key-schema", "AttributeName=id,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST")
            # --page-size 1 makes the CLI page with Limit and ExclusiveStartTableName
            self.assertEqual(aws("list-tables", "--page-size", "1")["TableNames"], ["Other", "Shop"])

            # -- items of every type; Put with a condition, capacity by index and item collection metrics ------
            items = []
            for i in range(6):
                items.append({"PutRequest": {"Item": {
                    "pk": {S: "c"}, "sk": {N: str(i)}, "tot": {N: str(50 - i * 10)}, "st": {S: "OPEN" if i % 2 else "DONE"},
                    "s": {S: "item-%d" % i}, "n": {N: str(i * 10)}, "l": {"L": [{S: "a"}, {N: str(i)}]},
                    "m": {"M": {"x": {"L": [{N: "1"}, {S: "deep%d" % i}]}, "y": {"BOOL": i % 2 == 0}}},
                    "ss": {"SS": ["red", "c%d" % i]}, "ns": {"NS": ["1", "2"]}, "z": {"NULL": True}}}})
            r = aws("batch-write-item", "--request-items", J({"Shop": items}), "--return-consumed-capacity", "TOTAL")
            self.assertEqual(r["UnprocessedItems"], {})
            self.assertEqual(r["ConsumedCapacity"][0]["TableName"], "Shop")
            r = aws("put-item", "--table-name", "Shop", "--item", J({
                "pk": {S: "c"}, "sk": {N: "9"}, "b": {"B": "bin"}, "bs": {"BS": ["x", "y"]}, "st": {S: "OPEN"},
                "tot": {N: "1"}}), "--condition-expression", "attribute_not_exists(pk)",
                "--return-consumed-capacity", "INDEXES", "--return-item-collection-metrics", "SIZE")
            self.assertEqual(r["ConsumedCapacity"]["Table"]["CapacityUnits"], 1.0)
            self.assertIn("bySt", r["ConsumedCapacity"]["GlobalSecondaryIndexes"])
            self.assertIn("byTot", r["ConsumedCapacity"]["LocalSecondaryIndexes"])
            self.assertEqual(r["ItemCollectionMetrics"]["ItemCollectionKey"], {"pk": {S: "c"}})
            fails("ConditionalCheckFailedException", "The conditional request failed",
                  "put-item", "--table-name", "Shop", "--item", J({"pk": {S: "c"}, "sk": {N: "9"}}),
                  "--condition-expression", "attribute_not_exists(pk)",
                  "--return-values-on-condition-check-failure", "ALL_OLD")

            # -- one rich UpdateItem: SET +/-, if_not_exists, list_append, nested paths, REMOVE of a list
            #    element, ADD to a number and a set, DELETE from a set, a condition with AND/OR/NOT/BETWEEN/IN
            #    and functions, placeholders, UPDATED_NEW -----------------------------------------------------
            r = aws("update-item", "--table-name", "Shop", "--key", J({"pk": {S: "c"}, "sk": {N: "1"}}),
                    "--update-expression", "SET n = n + :one, fresh = if_not_exists(fresh, :z) - :one, "
                    "l2 = list_append(l, :more), #m.x[1] = :v, #m.#new = :v REMOVE l[0], z ADD cnt :one, ss :blue "
                    "DELETE ns :two",
                    "--condition-expression", "attribute_exists(pk) AND NOT (n BETWEEN :lo AND :hi) AND "
                    "(st IN (:open, :z) OR size(l) > :one) AND begins_with(s, :pre) AND contains(ss, :red) AND "
                    "attribute_type(#m, :M) AND n <> :z AND n >= :one AND n <= :n10 AND n < :n11 AND n > :z "
                    "AND n = :n10",
                    "--expression-attribute-names", J({"#m": "m", "#new": "new"}),
                    "--expression-attribute-values", J({
                        ":one": {N: "1"}, ":z": {N: "0"}, ":more": {"L": [{S: "b"}]}, ":v": {S: "V"},
                        ":blue": {"SS": ["blue"]}, ":two": {"NS": ["2"]}, ":lo": {N: "100"}, ":hi": {N: "200"},
                        ":open": {S: "OPEN"}, ":pre": {S: "item-"}, ":red": {S: "red"}, ":M": {S: "M"},
                        ":n10": {N: "10"}, ":n11": {N: "11"}}),
                    "--return-values", "UPDATED_NEW")["Attributes"]
            self.assertEqual(r["n"], {N: "11"})
            self.assertEqual(r["fresh"], {N: "-1"})
            self.assertEqual(r["l2"], {"L": [{S: "a"}, {N: "1"}, {S: "b"}]})
            self.assertEqual(r["l"], {"L": [{N: "1"}]})
            self.assertEqual(r["m"], {"M": {"x": {"L": [{S: "V"}]}, "new": {S: "V"}}})
            self.assertEqual(r["cnt"], {N: "1"})
            self.assertEqual(sorted(r["ss"]["SS"]), ["blue", "c1", "red"])
            self.assertEqual(r["ns"], {"NS": ["1"]})
            r = aws("update-item", "--table-name", "Shop", "--key", J({"pk": {S: "c"}, "sk": {N: "1"}}),
                    "--attribute-updates", J({"cnt": {"Action": "ADD", "Value": {N: "5"}}, "fresh": {"Action": "DELETE"}}),
                    "--expected", J({"cnt": {"ComparisonOperator": "EQ", "AttributeValueList": [{N: "1"}]}}),
                    "--return-values", "ALL_NEW")["Attributes"]
            self.assertEqual(r["cnt"], {N: "6"})
            self.assertNotIn("fresh", r)
            r = aws("update-item", "--table-name", "Shop", "--key", J({"pk": {S: "c"}, "sk": {N: "1"}}),
                    "--update-expression", "REMOVE cnt", "--return-values", "UPDATED_OLD")["Attributes"]
            self.assertEqual(r, {"cnt": {N: "6"}})
            fails("ValidationException", "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}",
                  "update-item", "--table-name", "Shop", "--key", J({"pk": {S: "c"}, "sk": {N: "1"}}),
                  "--update-expression", "SET a = :v", "--expression-attribute-values", J({":v": {S: "x"}, ":w": {S: "y"}}))
            fails("ValidationException", "Invalid UpdateExpression: An expression attribute name used in the document "
                  "path is not defined; attribute name: #q", "update-item", "--table-name", "Shop", "--key",
                  J({"pk": {S: "c"}, "sk": {N: "1"}}), "--update-expression", "SET #q = :v",
                  "--expression-attribute-values", J({":v": {S: "x"}}))
            fails("ValidationException", "One or more parameter values were invalid: Missing the key sk in the item",
                  "put-item", "--table-name", "Shop", "--item", J({"pk": {S: "c"}}))

            # -- GetItem: nested projection with list indexes, consistent read, capacity; legacy AttributesToGet --
            r = aws("get-item", "--table-name", "Shop", "--key", J({"pk": {S: "c"}, "sk": {N: "1"}}),
                    "--projection-expression", "#m.x[1], l2[2], s", "--expression-attribute-names", J({"#m": "m"}),
                    "--consistent-read", "--return-consumed-capacity", "TOTAL")
            self.assertEqual(r["Item"], {"m": {"M": {"x": {"L": [{S: "V"}]}}}, "l2": {"L": [{S: "b"}]},
                                         "s": {S: "item-1"}})
            self.assertEqual(r["ConsumedCapacity"]["CapacityUnits"], 1.0)
            r = aws("get-item", "--table-name", "Shop", "--key", J({"pk": {S: "c"}, "sk": {N: "9"}}),
                    "--attributes-to-get", "b", "bs")
            # the CLI (v1) sends blob arguments as raw bytes and prints blobs in base64
            self.assertEqual(r["Item"]["b"], {"B": "Ymlu"})
            self.assertEqual(sorted(r["Item"]["bs"]["BS"]), ["eA==", "eQ=="])

            # -- Query: key conditions (each operator once across the calls), GSI/LSI, filter, Select, legacy ---
            r = aws("query", "--table-name", "Shop", "--index-name", "bySt",
                    "--key-condition-expression", "st = :o AND tot BETWEEN :a AND :b",
                    "--filter-expression", "contains(ss, :red) OR attribute_not_exists(ss)",
                    "--expression-attribute-values", J({":o": {S: "OPEN"}, ":a": {N: "1"}, ":b": {N: "40"},
                                                        ":red": {S: "red"}}),
                    "--select", "ALL_PROJECTED_ATTRIBUTES", "--no-scan-index-forward")
            self.assertEqual([i["tot"][N] for i in r["Items"]], ["40", "20", "1"])
            self.assertEqual(set(r["Items"][0]), {"pk", "sk", "st", "tot", "s"})
            r = aws("query", "--table-name", "Shop", "--index-name", "byTot", "--select", "COUNT",
                    "--key-condition-expression", "pk = :c AND tot > :t",
                    "--expression-attribute-values", J({":c": {S: "c"}, ":t": {N: "20"}}))
            self.assertEqual((r["Count"], r["ScannedCount"]), (3, 3))
            r = aws("query", "--table-name", "Shop", "--key-condition-expression", "pk = :c AND sk <= :k",
                    "--expression-attribute-values", J({":c": {S: "c"}, ":k": {N: "2"}}),
                    "--projection-expression", "sk", "--select", "SPECIFIC_ATTRIBUTES")
            self.assertEqual(r["Items"], [{"sk": {N: "0"}}, {"sk": {N: "1"}}, {"sk": {N: "2"}}])
            r = aws("query", "--table-name", "Shop", "--key-condition-expression", "pk = :c AND sk < :k",
                    "--filter-expression", "n = :n", "--limit", "2", "--no-paginate",
                    "--expression-attribute-values", J({":c": {S: "c"}, ":k": {N: "5"}, ":n": {N: "0"}}))
            self.assertEqual((r["Count"], r["ScannedCount"]), (1, 2))  # Limit counts items read, before the filter
            self.assertEqual(r["LastEvaluatedKey"], {"pk": {S: "c"}, "sk": {N: "1"}})
            r = aws("query", "--table-name", "Shop", "--exclusive-start-key", J(r["LastEvaluatedKey"]),
                    "--key-conditions", J({"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{S: "c"}]},
                                           "sk": {"ComparisonOperator": "GE", "AttributeValueList": [{N: "0"}]}}),
                    "--query-filter", J({"st": {"ComparisonOperator": "EQ", "AttributeValueList": [{S: "OPEN"}]}}))
            self.assertEqual([i["sk"][N] for i in r["Items"]], ["3", "5", "9"])
            fails("ValidationException", "Query condition missed key schema element: pk", "query", "--table-name",
                  "Shop", "--key-condition-expression", "sk = :k", "--expression-attribute-values", J({":k": {N: "1"}}))

            # -- Scan: parallel segments, filter, legacy ScanFilter ------------------------------------------
            seen = []
            for seg in ("0", "1"):
                seen += [i["sk"][N] for i in aws("scan", "--table-name", "Shop", "--segment", seg, "--total-segments",
                                                 "2", "--projection-expression", "sk")["Items"]]
            self.assertEqual(sorted(seen, key=int), ["0", "1", "2", "3", "4", "5", "9"])
            r = aws("scan", "--table-name", "Shop", "--scan-filter", J({
                "tot": {"ComparisonOperator": "LT", "AttributeValueList": [{N: "25"}]},
                "ns": {"ComparisonOperator": "NOT_NULL"}}), "--attributes-to-get", "sk")
            self.assertEqual(sorted(i["sk"][N] for i in r["Items"]), ["3", "4", "5"])

            # -- transactions: Put, Update, Delete, ConditionCheck with an idempotency token ------------------
            tx = J([{"Put": {"TableName": "Other", "Item": {"id": {S: "new"}, "v": {N: "1"}},
                             "ConditionExpression": "attribute_not_exists(id)"}},
                    {"Update": {"TableName": "Shop", "Key": {"pk": {S: "c"}, "sk": {N: "0"}},
                                "UpdateExpression": "ADD n :d", "ExpressionAttributeValues": {":d": {N: "5"}}}},
                    {"Delete": {"TableName": "Shop", "Key": {"pk": {S: "c"}, "sk": {N: "5"}}}},
                    {"ConditionCheck": {"TableName": "Shop", "Key": {"pk": {S: "c"}, "sk": {N: "9"}},
                                        "ConditionExpression": "attribute_exists(b)"}}])
            aws("transact-write-items", "--transact-items", tx, "--client-request-token", "tok-1")
            aws("transact-write-items", "--transact-items", tx, "--client-request-token", "tok-1")  # not applied twice
            r = aws("transact-get-items", "--transact-items", J([
                {"Get": {"TableName": "Shop", "Key": {"pk": {S: "c"}, "sk": {N: "0"}}, "ProjectionExpression": "n"}},
                {"Get": {"TableName": "Shop", "Key": {"pk": {S: "c"}, "sk": {N: "5"}}}},
                {"Get": {"TableName": "Other", "Key": {"id": {S: "new"}}}}]))["Responses"]
            self.assertEqual(r[0]["Item"], {"n": {N: "5"}})
            self.assertNotIn("Item", r[1])
            self.assertEqual(r[2]["Item"]["v"], {N: "1"})
            fails("TransactionCanceledException", "[ConditionalCheckFailed, None]", "transact-write-items",
                  "--transact-items", J([{"Put": {"TableName": "Other", "Item": {"id": {S: "new"}},
                                                  "ConditionExpression": "attribute_not_exists(id)"}},
                                         {"Delete": {"TableName": "Shop", "Key": {"pk": {S: "c"}, "sk": {N: "0"}}}}]))
            fails("ValidationException", "Provided list of item keys contains duplicates", "batch-get-item",
                  "--request-items", J({"Shop": {"Keys": [{"pk": {S: "c"}, "sk": {N: "0"}}] * 2}}))

            # -- PartiQL: INSERT, UPDATE, SELECT, DELETE with parameters ----------------------------------------
            aws("execute-statement", "--statement", "INSERT INTO Other VALUE {'id': ?, 'tags': <<'a'>>}",
                "--parameters", J([{S: "p1"}]))
            aws("execute-statement", "--statement", "UPDATE Other SET v = ? WHERE id = 'p1'", "--parameters",
                J([{N: "7"}]))
            r = aws("execute-statement", "--statement", "SELECT v, tags FROM Other WHERE id = ?",
                    "--parameters", J([{S: "p1"}]))
            self.assertEqual(r["Items"], [{"v": {N: "7"}, "tags": {"SS": ["a"]}}])
            aws("execute-statement", "--statement", "DELETE FROM Other WHERE id = 'p1'")
            self.assertEqual(aws("execute-statement", "--statement", "SELECT * FROM Other WHERE id = 'p1'")["Items"],
                             [])

            # -- UpdateTable adds (backfilled) and removes a GSI ----------------------------------------------
            aws("update-table", "--table-name", "Shop", "--attribute-definitions", "AttributeName=s,AttributeType=S",
                "--global-secondary-index-updates", J([{"Create": {"IndexName": "byS", "KeySchema": [
                    {"AttributeName": "s", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}}]))
            r = aws("query", "--table-name", "Shop", "--index-name", "byS", "--key-condition-expression", "s = :s",
                    "--expression-attribute-values", J({":s": {S: "item-2"}}))
            self.assertEqual([i["sk"][N] for i in r["Items"]], ["2"])
            d = aws("update-table", "--table-name", "Shop", "--global-secondary-index-updates",
                    J([{"Delete": {"IndexName": "byS"}}]))["TableDescription"]
            self.assertEqual([g["IndexName"] for g in d["GlobalSecondaryIndexes"] if g.get("IndexStatus") != "DELETING"],
                             ["bySt"])

            # -- fault injection: the CLI retries an injected throttle, and reports an injected failure ----------
            def fault(count, error):
                body = J({"service": "dynamodb", "operation": "GetItem", "count": count, "error": error}).encode()
                urllib.request.urlopen(urllib.request.Request(s.url + "/_stepbench/faults", data=body,
                                                              method="POST")).read()

            fault(2, "ProvisionedThroughputExceededException")
            r = aws("get-item", "--table-name", "Other", "--key", J({"id": {S: "new"}}))
            self.assertEqual(r["Item"]["id"], {S: "new"})
            fault(1, "ResourceNotFoundException")
            fails("ResourceNotFoundException", "", "get-item", "--table-name", "Other", "--key", J({"id": {S: "new"}}))
            aws("delete-table", "--table-name", "Other")


if __name__ == "__main__":
    unittest.main(verbosity=2)
