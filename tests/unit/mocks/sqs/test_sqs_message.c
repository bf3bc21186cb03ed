/* test_sqs_message.c - SQS semantics in-process on a virtual clock: digests, visibility, delays, FIFO, redrive. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "common/cj.h"
#include "mocks/sqs/sqs_int.h"
#include "tests/suites.h"

#define T0 1760956200000LL /* 2025-10-20T10:30:00Z */

static mock_world *w;
static clk *vc;

static void setup(void)
{
	sb err = SB_INIT;
	vc = clk_virtual_new(T0);
	mock_world_opts o = {.clock = vc, .seed = 42};
	w = mock_world_new(&o, &err);
	ck_assert_msg(w != NULL, "%s", sb_str(&err));
}

static void teardown(void)
{
	mock_world_free(w);
	clk_free(vc);
}

/* Call op with the JSON text in; on success returns the answer (caller
 * frees), on failure NULL and the error type in type_out (static buffer). */
static char last_type[128], last_msg[512];

static cJSON *call(const char *op, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static cJSON *call(const char *op, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	cJSON *in = cJSON_Parse(buf);
	ck_assert_msg(in != NULL, "bad test JSON: %s", buf);
	mock_req *rq = mock_req_new(w, &sqs_service, NULL, in, "test");
	cJSON *out = NULL;
	last_type[0] = last_msg[0] = '\0';
	if (mock_dispatch(rq, op) == 0) {
		out = mock_req_take_out(rq);
	} else {
		snprintf(last_type, sizeof last_type, "%s", rq->err.type);
		snprintf(last_msg, sizeof last_msg, "%s", rq->err.message);
	}
	mock_req_free(rq);
	cJSON_Delete(in);
	return out;
}

#define ok(op, ...)                                                                        \
	do {                                                                               \
		cJSON *o_ = call(op, __VA_ARGS__);                                             \
		ck_assert_msg(o_ != NULL, "%s failed: %s: %s", op, last_type, last_msg);       \
		cJSON_Delete(o_);                                                              \
	} while (0)

#define URL(q) "https://sqs.us-east-1.amazonaws.com/000000000000/" q

/* Receive up to n bodies as "a,b,c" into out (and the first handle into h). */
static int receive(const char *q, int n, int vis, char *out, size_t outn, char *h, size_t hn)
{
	cJSON *r = call("ReceiveMessage", "{\"QueueUrl\": \"" URL("%s") "\", \"MaxNumberOfMessages\": %d%s}", q, n,
	                vis >= 0 ? (vis == 0 ? ", \"VisibilityTimeout\": 0" : ", \"VisibilityTimeout\": 30") : "");
	ck_assert_msg(r != NULL, "receive failed: %s", last_msg);
	out[0] = '\0';
	int cnt = 0;
	for (cJSON *m = cj_arr(r, "Messages") ? cj_arr(r, "Messages")->child : NULL; m; m = m->next, cnt++) {
		if (cnt)
			strncat(out, ",", outn - strlen(out) - 1);
		strncat(out, cj_str(m, "Body"), outn - strlen(out) - 1);
		if (cnt == 0 && h)
			snprintf(h, hn, "%s", cj_str(m, "ReceiptHandle"));
	}
	cJSON_Delete(r);
	return cnt;
}

START_TEST(sqs_md5_of_attributes_should_match_published_vectors)
{
	/* vectors published with a third-party implementation of AWS's algorithm */
	static const struct {
		const char *json, *md5;
	} v[] = {
		{"{\"attribName1\": {\"DataType\": \"String\", \"StringValue\": \"attribValue 1\"}}",
		 "19e27d4e946b072f3f58da80d94fd778"},
		{"{\"customNumberTypeAttrib\": {\"DataType\": \"Number.float\", \"StringValue\": "
		 "\"4563442423554324324264524243.32543234\"}}",
		 "9fe1b90bbd9965bdf77bac517c7d2495"},
		{"{\"binaryAttribute\": {\"DataType\": \"Binary\", \"BinaryValue\": \"SGVsbG8gYmluYXJ5IHdvcmxkIQ==\"}}",
		 "31a92b15d92f8db860eda32aceb656c3"},
		{"{\"customNumberTypeAttrib\": {\"DataType\": \"Number.float\", \"StringValue\": "
		 "\"4563442423554324324264524243.32543234\"}, \"attribName1\": {\"DataType\": \"String\", \"StringValue\": "
		 "\"attribValue 1\"}, \"binaryAttribute\": {\"DataType\": \"Binary\", \"BinaryValue\": "
		 "\"SGVsbG8gYmluYXJ5IHdvcmxkIQ==\"}}",
		 "c932db14a896c663f83c260297d594ff"},
	};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		cJSON *a = cJSON_Parse(v[i].json);
		char out[33];
		ck_assert_int_eq(sqs_md5_of_attributes(a, out), 0);
		ck_assert_str_eq(out, v[i].md5);
		cJSON_Delete(a);
	}
	char out[33];
	cJSON *e = cJSON_CreateObject();
	ck_assert_int_eq(sqs_md5_of_attributes(e, out), -1);
	cJSON_Delete(e);
}
END_TEST

START_TEST(sqs_attrs_check_should_reject_bad_names_types_and_values)
{
	static const char *const bad[] = {
		"{\"AWS.trace\": {\"DataType\": \"String\", \"StringValue\": \"v\"}}",
		"{\".lead\": {\"DataType\": \"String\", \"StringValue\": \"v\"}}",
		"{\"a..b\": {\"DataType\": \"String\", \"StringValue\": \"v\"}}",
		"{\"n\": {\"DataType\": \"Number\", \"StringValue\": \"1e\"}}",
		"{\"n\": {\"DataType\": \"Number\", \"StringValue\": \"123456789012345678901234567890123456789\"}}",
		"{\"b\": {\"DataType\": \"Binary\", \"BinaryValue\": \"***\"}}",
		"{\"t\": {\"DataType\": \"Text\", \"StringValue\": \"v\"}}",
		"{\"t\": {\"DataType\": \"String.\", \"StringValue\": \"v\"}}",
		"{\"s\": {\"DataType\": \"String\"}}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		cJSON *a = cJSON_Parse(bad[i]);
		size_t sz = 0;
		sb err = SB_INIT;
		ck_assert_msg(sqs_attrs_check(a, 0, &sz, &err) == -1, "accepted %s", bad[i]);
		ck_assert(err.len > 0);
		sb_free(&err);
		cJSON_Delete(a);
	}
	cJSON *a = cJSON_Parse("{\"n\": {\"DataType\": \"Number.int\", \"StringValue\": \"-1.5E3\"},"
	                       " \"b\": {\"DataType\": \"Binary\", \"BinaryValue\": \"AAE=\"}}");
	size_t sz = 0;
	sb err = SB_INIT;
	ck_assert_int_eq(sqs_attrs_check(a, 0, &sz, &err), 0);
	ck_assert_uint_eq(sz, strlen("n") + strlen("Number.int") + strlen("-1.5E3") + 1 + 6 + 2);
	sb_free(&err);
	cJSON_Delete(a);
}
END_TEST

START_TEST(sqs_body_valid_should_follow_xml_character_rules)
{
	ck_assert(sqs_body_valid("tab\there\n", 9));
	ck_assert(sqs_body_valid("\xe2\x9c\x93", 3));
	ck_assert(!sqs_body_valid("\x01", 1));
	ck_assert(!sqs_body_valid("\xef\xbf\xbf", 3));   /* U+FFFF */
	ck_assert(!sqs_body_valid("\xed\xa0\x80", 3));   /* a surrogate */
	ck_assert(!sqs_body_valid("\xc0\xaf", 2));       /* overlong */
}
END_TEST

START_TEST(sqs_visibility_timeout_should_follow_the_virtual_clock)
{
	ok("CreateQueue", "{\"QueueName\": \"%s\", \"Attributes\": {\"VisibilityTimeout\": \"30\"}}", "q");
	ok("SendMessage", "{\"QueueUrl\": \"" URL("q") "\", \"MessageBody\": \"%s\"}", "m1");
	char got[256], h[512];
	ck_assert_int_eq(receive("q", 1, -1, got, sizeof got, h, sizeof h), 1);
	ck_assert_str_eq(got, "m1");
	ck_assert_int_eq(receive("q", 1, -1, got, sizeof got, NULL, 0), 0);
	clk_set_ms(vc, T0 + 29999);
	ck_assert_int_eq(receive("q", 1, -1, got, sizeof got, NULL, 0), 0);
	clk_set_ms(vc, T0 + 30000);
	ck_assert_int_eq(receive("q", 1, -1, got, sizeof got, NULL, 0), 1);
	/* the first handle is stale now: deleting with it leaves the message */
	char del[1024];
	snprintf(del, sizeof del, "{\"QueueUrl\": \"" URL("q") "\", \"ReceiptHandle\": \"%s\"}", h);
	ok("DeleteMessage", "%s", del);
	cJSON *snap = sqs_service.snapshot(w);
	cJSON *msgs = cJSON_GetObjectItem(snap, "q");
	ck_assert_int_eq(cJSON_GetArraySize(msgs), 1);
	ck_assert_str_eq(cj_str(cj_obj(msgs->child, "Attributes"), "ApproximateReceiveCount"), "2");
	ck_assert_str_eq(cj_str(cj_obj(msgs->child, "Attributes"), "SentTimestamp"), "1760956200000");
	cJSON_Delete(snap);
}
END_TEST

START_TEST(sqs_delay_should_hold_messages_until_due_and_long_polls_advance_virtual_time)
{
	ok("CreateQueue", "{\"QueueName\": \"%s\", \"Attributes\": {\"DelaySeconds\": \"10\"}}", "d");
	ok("SendMessage", "{\"QueueUrl\": \"" URL("d") "\", \"MessageBody\": \"%s\"}", "late");
	ok("SendMessage", "{\"QueueUrl\": \"" URL("d") "\", \"MessageBody\": \"%s\", \"DelaySeconds\": 0}", "now");
	char got[256];
	ck_assert_int_eq(receive("d", 10, -1, got, sizeof got, NULL, 0), 1);
	ck_assert_str_eq(got, "now");
	/* a 20 s long poll on a virtual clock returns at the delay's end, without real waiting */
	cJSON *r = call("ReceiveMessage", "{\"QueueUrl\": \"" URL("%s") "\", \"WaitTimeSeconds\": 20}", "d");
	ck_assert(r != NULL);
	ck_assert_str_eq(cj_str(cj_arr(r, "Messages")->child, "Body"), "late");
	ck_assert_int_eq(clk_now_ms(vc), T0 + 10000);
	cJSON_Delete(r);
	/* an empty long poll takes its whole wait */
	r = call("ReceiveMessage", "{\"QueueUrl\": \"" URL("%s") "\", \"WaitTimeSeconds\": 5}", "d");
	ck_assert(r != NULL && !cj_arr(r, "Messages"));
	ck_assert_int_eq(clk_now_ms(vc), T0 + 15000);
	cJSON_Delete(r);
}
END_TEST

START_TEST(sqs_retention_should_drop_old_messages)
{
	ok("CreateQueue", "{\"QueueName\": \"%s\", \"Attributes\": {\"MessageRetentionPeriod\": \"60\"}}", "r");
	ok("SendMessage", "{\"QueueUrl\": \"" URL("r") "\", \"MessageBody\": \"%s\"}", "old");
	clk_set_ms(vc, T0 + 60000);
	char got[256];
	ck_assert_int_eq(receive("r", 10, -1, got, sizeof got, NULL, 0), 0);
	cJSON *snap = sqs_service.snapshot(w);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(snap, "r")), 0);
	cJSON_Delete(snap);
}
END_TEST

START_TEST(sqs_fifo_should_keep_group_order_and_block_a_group_in_flight)
{
	ok("CreateQueue", "{\"QueueName\": \"%s\", \"Attributes\": {\"FifoQueue\": \"true\", "
	                  "\"ContentBasedDeduplication\": \"true\"}}", "f.fifo");
	const char *const sends[][2] = {{"A", "a1"}, {"B", "b1"}, {"A", "a2"}, {"B", "b2"}, {"A", "a3"}};
	for (size_t i = 0; i < 5; i++) {
		cJSON *r = call("SendMessage", "{\"QueueUrl\": \"" URL("f.fifo") "\", \"MessageBody\": \"%s\", "
		                               "\"MessageGroupId\": \"%s\"}", sends[i][1], sends[i][0]);
		ck_assert_msg(r != NULL, "%s", last_msg);
		cJSON_Delete(r);
	}
	/* a duplicate body inside five minutes is dropped; after them it is a new message */
	ok("SendMessage", "{\"QueueUrl\": \"" URL("f.fifo") "\", \"MessageBody\": \"%s\", \"MessageGroupId\": \"A\"}", "a1");
	char got[256];
	ck_assert_int_eq(receive("f.fifo", 2, -1, got, sizeof got, NULL, 0), 2);
	ck_assert_str_eq(got, "a1,a2");
	ck_assert_int_eq(receive("f.fifo", 10, -1, got, sizeof got, NULL, 0), 2);
	ck_assert_str_eq(got, "b1,b2");
	ck_assert_int_eq(receive("f.fifo", 10, -1, got, sizeof got, NULL, 0), 0);
	clk_set_ms(vc, T0 + 30000); /* visibility over: A from its first undeleted message again */
	ck_assert_int_eq(receive("f.fifo", 10, -1, got, sizeof got, NULL, 0), 5);
	ck_assert_str_eq(got, "a1,a2,a3,b1,b2");
	clk_set_ms(vc, T0 + SQS_DEDUP_MS + 1);
	ok("SendMessage", "{\"QueueUrl\": \"" URL("f.fifo") "\", \"MessageBody\": \"%s\", \"MessageGroupId\": \"C\"}", "a1");
	cJSON *snap = sqs_service.snapshot(w);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(snap, "f.fifo")), 6);
	cJSON_Delete(snap);
}
END_TEST

START_TEST(sqs_redrive_should_move_a_message_after_max_receives)
{
	ok("CreateQueue", "{\"QueueName\": \"%s\"}", "dead");
	ok("CreateQueue", "{\"QueueName\": \"%s\", \"Attributes\": {\"RedrivePolicy\": "
	                  "\"{\\\"deadLetterTargetArn\\\":\\\"arn:aws:sqs:us-east-1:000000000000:dead\\\","
	                  "\\\"maxReceiveCount\\\":\\\"1\\\"}\"}}", "src");
	ok("SendMessage", "{\"QueueUrl\": \"" URL("src") "\", \"MessageBody\": \"%s\"}", "poison");
	char got[256];
	ck_assert_int_eq(receive("src", 1, 0, got, sizeof got, NULL, 0), 1);
	ck_assert_int_eq(receive("src", 1, 0, got, sizeof got, NULL, 0), 0);
	cJSON *snap = sqs_service.snapshot(w);
	cJSON *d = cJSON_GetObjectItem(snap, "dead");
	ck_assert_int_eq(cJSON_GetArraySize(d), 1);
	ck_assert_str_eq(cj_str(d->child, "Body"), "poison");
	ck_assert_str_eq(cj_str(cj_obj(d->child, "Attributes"), "DeadLetterQueueSourceArn"),
	                 "arn:aws:sqs:us-east-1:000000000000:src");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(snap, "src")), 0);
	cJSON_Delete(snap);
}
END_TEST

START_TEST(sqs_in_process_urls_should_take_aws_form_and_json_bodies_become_text)
{
	cJSON *r = call("CreateQueue", "{\"QueueName\": \"%s\"}", "user-onboarding");
	ck_assert_str_eq(cj_str(r, "QueueUrl"), "https://sqs.us-east-1.amazonaws.com/000000000000/user-onboarding");
	cJSON_Delete(r);
	r = call("SendMessage", "{\"QueueUrl\": \"http://localhost:4566/000000000000/%s\", \"MessageBody\": "
	                        "{\"type\": \"UserOnboarded\"}}", "user-onboarding");
	ck_assert(r != NULL);
	cJSON_Delete(r);
	cJSON *snap = sqs_service.snapshot(w);
	ck_assert_str_eq(cj_str(cJSON_GetObjectItem(snap, "user-onboarding")->child, "Body"), "{\"type\":\"UserOnboarded\"}");
	cJSON_Delete(snap);
	ck_assert(call("SendMessage", "{\"QueueUrl\": \"" URL("%s") "\", \"MessageBody\": \"x\"}", "missing") == NULL);
	ck_assert_str_eq(last_type, "QueueDoesNotExist");
	ck_assert_str_eq(last_msg, "The specified queue does not exist.");
}
END_TEST

/* The world is one account: another account's URL, owner or dead-letter
 * ARN names a queue that does not exist, whatever its name. */
START_TEST(sqs_queues_of_another_account_should_not_exist)
{
	ok("CreateQueue", "{\"QueueName\": \"%s\"}", "mine");
	ck_assert(call("SendMessage", "{\"QueueUrl\": \"https://sqs.us-east-1.amazonaws.com/111111111111/%s\", "
	                              "\"MessageBody\": \"x\"}", "mine") == NULL);
	ck_assert_str_eq(last_type, "QueueDoesNotExist");
	ck_assert(call("GetQueueUrl", "{\"QueueName\": \"%s\", \"QueueOwnerAWSAccountId\": \"111111111111\"}",
	               "mine") == NULL);
	ck_assert_str_eq(last_type, "QueueDoesNotExist");
	ok("GetQueueUrl", "{\"QueueName\": \"%s\", \"QueueOwnerAWSAccountId\": \"000000000000\"}", "mine");
	const char *const arns[] = {"arn:aws:sqs:us-east-1:111111111111:mine", "arn:aws:sqs:eu-west-1:000000000000:mine"};
	for (int i = 0; i < 2; i++) {
		ck_assert(call("CreateQueue", "{\"QueueName\": \"src\", \"Attributes\": {\"RedrivePolicy\": "
		                              "\"{\\\"deadLetterTargetArn\\\":\\\"%s\\\",\\\"maxReceiveCount\\\":1}\"}}",
		               arns[i]) == NULL);
		ck_assert_str_eq(last_type, "InvalidParameterValue");
		ck_assert_ptr_nonnull(strstr(last_msg, "Dead letter target does not exist"));
	}
	ok("CreateQueue", "{\"QueueName\": \"src\", \"Attributes\": {\"RedrivePolicy\": "
	                  "\"{\\\"deadLetterTargetArn\\\":\\\"arn:aws:sqs:us-east-1:000000000000:%s\\\",\\\"maxReceiveCount\\\":1}\"}}",
	   "mine");
}
END_TEST

Suite *suite_sqs_message(void)
{
	Suite *s = suite_create("sqs_message");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, sqs_md5_of_attributes_should_match_published_vectors);
	tcase_add_test(tc, sqs_attrs_check_should_reject_bad_names_types_and_values);
	tcase_add_test(tc, sqs_body_valid_should_follow_xml_character_rules);
	tcase_add_test(tc, sqs_visibility_timeout_should_follow_the_virtual_clock);
	tcase_add_test(tc, sqs_delay_should_hold_messages_until_due_and_long_polls_advance_virtual_time);
	tcase_add_test(tc, sqs_retention_should_drop_old_messages);
	tcase_add_test(tc, sqs_fifo_should_keep_group_order_and_block_a_group_in_flight);
	tcase_add_test(tc, sqs_redrive_should_move_a_message_after_max_receives);
	tcase_add_test(tc, sqs_in_process_urls_should_take_aws_form_and_json_bodies_become_text);
	tcase_add_test(tc, sqs_queues_of_another_account_should_not_exist);
	suite_add_tcase(s, tc);
	return s;
}
