/* ddb_test_util.h - a world with the dynamodb mock, and calls that read like the API. */
#ifndef STEPBENCH_DDB_TEST_UTIL_H
#define STEPBENCH_DDB_TEST_UTIL_H

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "mocks/mock.h"

static mock_world *tw;
static clk *tclock;

static void ddb_setup(void)
{
	sb err = SB_INIT;
	tclock = clk_virtual_new(1700000000000LL);
	mock_world_opts o = {.clock = tclock, .seed = 42};
	tw = mock_world_new(&o, &err);
	ck_assert_msg(tw != NULL, "%s", sb_str(&err));
	sb_free(&err);
}

static void ddb_teardown(void)
{
	mock_world_free(tw);
	clk_free(tclock);
}

/* Calls op with the JSON text req; returns the answer as compact JSON, or
 * "Type: message" on error. The result is valid until the next call. */
static const char *ddb(const char *op, const char *req)
{
	static char *last;
	mem_free(last);
	last = NULL;
	cJSON *in = cJSON_Parse(req);
	ck_assert_msg(in != NULL, "bad test JSON: %s", req);
	cJSON *out = NULL;
	sb err = SB_INIT;
	if (mock_call(tw, "dynamodb", op, in, &out, &err) == 0) {
		last = cj_print(out);
		cJSON_Delete(out);
	} else {
		last = mem_strdup(sb_str(&err));
	}
	sb_free(&err);
	cJSON_Delete(in);
	return last;
}

/* The member `name` of the JSON answer as compact text. */
__attribute__((unused)) static const char *member_of(const char *answer, const char *name)
{
	static char *last;
	mem_free(last);
	cJSON *o = cJSON_Parse(answer);
	cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);
	last = m ? cj_print(m) : mem_strdup("(absent)");
	cJSON_Delete(o);
	return last;
}

/* A table with a string hash key pk and a number range key sk. */
__attribute__((unused)) static void create_pk_sk(const char *name)
{
	char req[512];
	snprintf(req, sizeof req,
	         "{\"TableName\":\"%s\",\"BillingMode\":\"PAY_PER_REQUEST\",\"AttributeDefinitions\":["
	         "{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},{\"AttributeName\":\"sk\",\"AttributeType\":\"N\"}],"
	         "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}]}",
	         name);
	const char *r = ddb("CreateTable", req);
	ck_assert_msg(strstr(r, "TableDescription") != NULL, "%s", r);
}

#endif
