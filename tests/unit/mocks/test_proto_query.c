/* test_proto_query.c - form decoding and XML rendering of the query protocol. */
#include <check.h>
#include <string.h>

#include "mocks/server/proto_query.h"
#include "tests/suites.h"

START_TEST(query_form_parse_should_decode_escapes_and_plus)
{
	const char *f = "Action=SendMessage&MessageBody=a+b%26c%3D%E2%82%AC&Empty=&Flag";
	cJSON *o = query_form_parse(f, strlen(f));
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "Action")->valuestring, "SendMessage");
	ck_assert_str_eq(cJSON_GetObjectItem(o, "MessageBody")->valuestring, "a b&c=\xE2\x82\xAC");
	ck_assert_str_eq(cJSON_GetObjectItem(o, "Empty")->valuestring, "");
	ck_assert_str_eq(cJSON_GetObjectItem(o, "Flag")->valuestring, "");
	cJSON_Delete(o);
}
END_TEST

START_TEST(query_form_parse_should_refuse_bad_escapes_and_bad_utf8)
{
	const char *bad[] = {"a=%4", "a=%zz", "a=%C3%28", "a=%00", "%"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_ptr_null(query_form_parse(bad[i], strlen(bad[i])));
}
END_TEST

START_TEST(query_flat_lists_should_collect_numbered_members_until_a_gap)
{
	const char *f = "AttributeName.1=All&AttributeName.2=QueueArn&AttributeName.4=Skipped&"
	                "Tags.member.1.Key=team&Tags.member.1.Value=onboarding&Tags.member.2.Key=env";
	cJSON *o = query_form_parse(f, strlen(f));
	cJSON *names = query_flat_list(o, "AttributeName", 0);
	ck_assert_int_eq(cJSON_GetArraySize(names), 2);
	ck_assert_str_eq(cJSON_GetArrayItem(names, 1)->valuestring, "QueueArn");
	cJSON *tags = query_flat_struct_list(o, "Tags", 1);
	ck_assert_int_eq(cJSON_GetArraySize(tags), 2);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(tags, 0), "Value")->valuestring, "onboarding");
	ck_assert_ptr_null(query_flat_list(o, "Missing", 0));
	cJSON_Delete(names);
	cJSON_Delete(tags);
	cJSON_Delete(o);
}
END_TEST

START_TEST(query_xml_value_should_nest_escape_and_list_members)
{
	cJSON *v = cJSON_Parse("{\"Names\":[\"a<b\",\"c\"],\"Role\":{\"Path\":\"/\",\"Max\":3600,\"On\":true}}");
	sb out = SB_INIT;
	for (cJSON *x = v->child; x; x = x->next)
		query_xml_value(&out, x->string, x, 0);
	ck_assert_str_eq(sb_str(&out), "<Names><member>a&lt;b</member><member>c</member></Names>"
	                               "<Role><Path>/</Path><Max>3600</Max><On>true</On></Role>");
	sb_clear(&out);
	query_xml_value(&out, "Message", cJSON_GetObjectItem(v, "Names"), 1);
	ck_assert_str_eq(sb_str(&out), "<Message>a&lt;b</Message><Message>c</Message>");
	sb_free(&out);
	cJSON_Delete(v);
}
END_TEST

Suite *suite_proto_query(void)
{
	Suite *s = suite_create("mocks/server/proto_query");
	TCase *tc = tcase_create("query");
	tcase_add_test(tc, query_form_parse_should_decode_escapes_and_plus);
	tcase_add_test(tc, query_form_parse_should_refuse_bad_escapes_and_bad_utf8);
	tcase_add_test(tc, query_flat_lists_should_collect_numbered_members_until_a_gap);
	tcase_add_test(tc, query_xml_value_should_nest_escape_and_list_members);
	suite_add_tcase(s, tc);
	return s;
}
