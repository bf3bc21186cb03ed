/* lam_ops.c - the Lambda operation table, start-up and shut-down, the snapshot hook. */
#include "common/mem.h"
#include "mocks/lambda/lam_int.h"

static const mock_op lam_ops[] = {
	{"AddPermission", lam_op_add_permission, MOCK_WRITE},
	{"CreateAlias", lam_op_create_alias, MOCK_WRITE},
	{"CreateFunction", lam_op_create_function, MOCK_WRITE},
	{"DeleteAlias", lam_op_delete_alias, MOCK_WRITE},
	{"DeleteFunction", lam_op_delete_function, MOCK_WRITE},
	{"GetAccountSettings", lam_op_get_account_settings, MOCK_READONLY},
	{"GetAlias", lam_op_get_alias, MOCK_READONLY},
	{"GetFunction", lam_op_get_function, MOCK_READONLY},
	{"GetFunctionConfiguration", lam_op_get_function_configuration, MOCK_READONLY},
	{"GetPolicy", lam_op_get_policy, MOCK_READONLY},
	{"Invoke", lam_op_invoke, MOCK_NOTXN},
	{"ListAliases", lam_op_list_aliases, MOCK_READONLY},
	{"ListFunctions", lam_op_list_functions, MOCK_READONLY},
	{"ListTags", lam_op_list_tags, MOCK_READONLY},
	{"ListVersionsByFunction", lam_op_list_versions_by_function, MOCK_READONLY},
	{"PublishVersion", lam_op_publish_version, MOCK_WRITE},
	{"RemovePermission", lam_op_remove_permission, MOCK_WRITE},
	{"TagResource", lam_op_tag_resource, MOCK_WRITE},
	{"UntagResource", lam_op_untag_resource, MOCK_WRITE},
	{"UpdateAlias", lam_op_update_alias, MOCK_WRITE},
	{"UpdateFunctionCode", lam_op_update_function_code, MOCK_WRITE},
	{"UpdateFunctionConfiguration", lam_op_update_function_configuration, MOCK_WRITE},
	{NULL, NULL, 0},
};

static int lam_init(mock_world *w, sb *err)
{
	lam_state *st = mem_calloc(1, sizeof *st);
	static const char *const names[] = {"lambda.functions", "lambda.code", "lambda.aliases", "lambda.log",
	                                    "lambda.meta"};
	store_db *dbs[] = {&st->fns, &st->code, &st->aliases, &st->log, &st->meta};
	for (int i = 0; i < 5; i++) {
		int rc = store_db_open(w->st, names[i], 0, dbs[i]);
		if (rc) {
			sb_printf(err, "lambda: cannot open %s: %s", names[i], store_strerror(rc));
			mem_free(st);
			return -1;
		}
	}
	pthread_mutex_init(&st->mu, NULL);
	pthread_cond_init(&st->cv, NULL);
	w->state[MOCK_SVC_LAMBDA] = st;
	return 0;
}

static void lam_fini(mock_world *w)
{
	lam_state *st = lam_st(w);
	if (!st)
		return;
	lam_quiesce(w); /* Event invocations still use the world */
	pthread_mutex_destroy(&st->mu);
	pthread_cond_destroy(&st->cv);
	mem_free(st);
	w->state[MOCK_SVC_LAMBDA] = NULL;
}

static cJSON *lam_snapshot(mock_world *w) { return lam_invocations_json(w, NULL, NULL); }

const mock_service lam_service = {
	.name = "lambda",
	.slot = MOCK_SVC_LAMBDA,
	.target_prefix = NULL,
	.json_type_prefix = NULL,
	.json_content_type = "application/json",
	.ops = lam_ops,
	.init = lam_init,
	.fini = lam_fini,
	.http = lam_http,
	.snapshot = lam_snapshot,
};
