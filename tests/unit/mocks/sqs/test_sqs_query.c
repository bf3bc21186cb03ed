/* test_sqs_query.c - SQS's query codec: form -> SDK JSON shape, JSON answer -> XML. */
#include <check.h>
#include <string.h>

#include "common/cj.h"
#include "mocks/sqs/sqs_int.h"
#include "tests/suites.h"

static cJSON *decode(const char *op, const char *form)
{
	sb err = SB_INIT;
	cJSON *in = sqs_query_decode(op, form, strlen(form), &err);
	ck_assert_msg(in != NULL, "%s", sb_str(&err));
	sb_free(&err);
	return in;
}

START_TEST(sqs_query_decode_should_map_query_names_to_the_json_shape)
{
	cJSON *in = decode("SendMessage",
	                   "Action=SendMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2Fh%2F000000000000%2Fq"
	                   "&MessageBody=a+b%26c&DelaySeconds=5&MessageAttribute.1.Name=n"
	                   "&MessageAttribute.1.Value.DataType=Number&MessageAttribute.1.Value.StringValue=42"
	                   "&MessageAttribute.2.Name=b&MessageAttribute.2.Value.DataType=Binary"
	                   "&MessageAttribute.2.Value.BinaryValue=AAE%3D"
	                   "&MessageSystemAttribute.1.Name=AWSTraceHeader"
	                   "&MessageSystemAttribute.1.Value.DataType=String&MessageSystemAttribute.1.Value.StringValue=t");
	cJSON *want = cJSON_Parse(
		"{\"QueueUrl\": \"http://h/000000000000/q\", \"MessageBody\": \"a b&c\", \"DelaySeconds\": \"5\","
		" \"MessageAttributes\": {\"n\": {\"DataType\": \"Number\", \"StringValue\": \"42\"},"
		"                         \"b\": {\"DataType\": \"Binary\", \"BinaryValue\": \"AAE=\"}},"
		" \"MessageSystemAttributes\": {\"AWSTraceHeader\": {\"DataType\": \"String\", \"StringValue\": \"t\"}}}");
	ck_assert_msg(cj_equal(in, want), "got %s", cJSON_PrintUnformatted(in));
	cJSON_Delete(want);
	cJSON_Delete(in);

	in = decode("CreateQueue", "Action=CreateQueue&QueueName=q&Attribute.1.Name=VisibilityTimeout"
	                           "&Attribute.1.Value=60&Tag.1.Key=team&Tag.1.Value=growth");
	want = cJSON_Parse("{\"QueueName\": \"q\", \"Attributes\": {\"VisibilityTimeout\": \"60\"},"
	                   " \"tags\": {\"team\": \"growth\"}}");
	ck_assert_msg(cj_equal(in, want), "got %s", cJSON_PrintUnformatted(in));
	cJSON_Delete(want);
	cJSON_Delete(in);

	in = decode("ReceiveMessage", "Action=ReceiveMessage&QueueUrl=u&AttributeName.1=All&AttributeName.2=SentTimestamp"
	                              "&MessageAttributeName.1=x.*&MaxNumberOfMessages=10");
	want = cJSON_Parse("{\"QueueUrl\": \"u\", \"MaxNumberOfMessages\": \"10\","
	                   " \"AttributeNames\": [\"All\", \"SentTimestamp\"], \"MessageAttributeNames\": [\"x.*\"]}");
	ck_assert_msg(cj_equal(in, want), "got %s", cJSON_PrintUnformatted(in));
	cJSON_Delete(want);
	cJSON_Delete(in);
}
END_TEST

START_TEST(sqs_query_decode_should_collect_batch_entries_until_a_gap)
{
	cJSON *in = decode("DeleteMessageBatch",
	                   "Action=DeleteMessageBatch&QueueUrl=u&DeleteMessageBatchRequestEntry.1.Id=a"
	                   "&DeleteMessageBatchRequestEntry.1.ReceiptHandle=h1&DeleteMessageBatchRequestEntry.2.Id=b"
	                   "&DeleteMessageBatchRequestEntry.2.ReceiptHandle=h2&DeleteMessageBatchRequestEntry.4.Id=lost");
	cJSON *want = cJSON_Parse("{\"QueueUrl\": \"u\", \"Entries\": [{\"Id\": \"a\", \"ReceiptHandle\": \"h1\"},"
	                          " {\"Id\": \"b\", \"ReceiptHandle\": \"h2\"}]}");
	ck_assert_msg(cj_equal(in, want), "got %s", cJSON_PrintUnformatted(in));
	cJSON_Delete(want);
	cJSON_Delete(in);
	sb err = SB_INIT;
	ck_assert(sqs_query_decode("SendMessage", "MessageBody=%zz", 15, &err) == NULL);
	ck_assert(err.len > 0);
	sb_free(&err);
}
END_TEST

START_TEST(sqs_query_render_should_use_sqs_element_names_and_escape_text)
{
	cJSON *out = cJSON_Parse(
		"{\"Messages\": [{\"MessageId\": \"m\", \"Body\": \"<a>&\\r\\n\", \"Attributes\": {\"SentTimestamp\": \"1\"},"
		" \"MessageAttributes\": {\"k\": {\"StringValue\": \"v\", \"DataType\": \"String\"}}}]}");
	sb x = SB_INIT;
	sqs_query_render("ReceiveMessage", out, "rid", &x);
	ck_assert_str_eq(sb_str(&x),
	                 "<?xml version=\"1.0\"?><ReceiveMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
	                 "<ReceiveMessageResult><Message><MessageId>m</MessageId><Body>&lt;a&gt;&amp;&#13;\n</Body>"
	                 "<Attribute><Name>SentTimestamp</Name><Value>1</Value></Attribute>"
	                 "<MessageAttribute><Name>k</Name><Value><StringValue>v</StringValue><DataType>String</DataType>"
	                 "</Value></MessageAttribute></Message></ReceiveMessageResult>"
	                 "<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></ReceiveMessageResponse>");
	cJSON_Delete(out);
	sb_clear(&x);
	out = cJSON_Parse("{\"Successful\": [{\"Id\": \"a\"}], \"Failed\": [{\"Id\": \"b\", \"SenderFault\": true, "
	                  "\"Code\": \"ReceiptHandleIsInvalid\", \"Message\": \"bad\"}]}");
	sqs_query_render("DeleteMessageBatch", out, "r", &x);
	ck_assert_ptr_nonnull(strstr(sb_str(&x), "<DeleteMessageBatchResultEntry><Id>a</Id></DeleteMessageBatchResultEntry>"
	                                          "<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault>"));
	cJSON_Delete(out);
	sb_clear(&x);
	out = cJSON_CreateObject();
	sqs_query_render("DeleteMessage", out, "r", &x);
	ck_assert_ptr_null(strstr(sb_str(&x), "Result>"));
	sb_clear(&x);
	sqs_query_render("ReceiveMessage", out, "r", &x);
	ck_assert_ptr_nonnull(strstr(sb_str(&x), "<ReceiveMessageResult></ReceiveMessageResult>"));
	cJSON_Delete(out);
	sb_free(&x);
}
END_TEST

Suite *suite_sqs_query(void)
{
	Suite *s = suite_create("sqs_query");
	TCase *tc = tcase_create("codec");
	tcase_add_test(tc, sqs_query_decode_should_map_query_names_to_the_json_shape);
	tcase_add_test(tc, sqs_query_decode_should_collect_batch_entries_until_a_gap);
	tcase_add_test(tc, sqs_query_render_should_use_sqs_element_names_and_escape_text);
	suite_add_tcase(s, tc);
	return s;
}
