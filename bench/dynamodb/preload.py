"""preload.py ENDPOINT - the benchmark's table: 10,000 items for GetItem, a 100-item partition for Query."""
import sys

import boto3

c = boto3.client("dynamodb", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="test", aws_secret_access_key="test")
c.create_table(TableName="Bench", BillingMode="PAY_PER_REQUEST",
               AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                     {"AttributeName": "sk", "AttributeType": "S"}],
               KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
pad = "x" * 200


def item(pk, sk, n):
    return {"pk": {"S": pk}, "sk": {"S": sk}, "email": {"S": "user%d@example.com" % n}, "n": {"N": str(n)},
            "active": {"BOOL": True}, "pad": {"S": pad}}


reqs = [item("get-%d" % i, "0", i) for i in range(10000)] + [item("part", "%03d" % i, i) for i in range(100)]
for i in range(0, len(reqs), 25):
    batch = {"Bench": [{"PutRequest": {"Item": it}} for it in reqs[i:i + 25]]}
    while batch:
        batch = c.batch_write_item(RequestItems=batch)["UnprocessedItems"]
