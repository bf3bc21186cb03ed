/* lam_run.c - what an invocation does: a scripted behaviour, or the function's code in a child process. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/cj.h"
#include "common/file.h"
#include "common/log.h"
#include "common/mem.h"
#include "mocks/lambda/lam_int.h"
#include "mocks/lambda/lam_zip.h"

#include "engine/jsonata/jsonata.h"

#define LOG_CAP (256u << 10)
#define RESULT_CAP ((size_t)LAM_PAYLOAD_MAX + 1)

extern char **environ;

void lam_outcome_free(lam_outcome *o)
{
	sb_free(&o->payload);
	sb_free(&o->logs);
	mem_free(o->svc_type);
	mem_free(o->svc_message);
	memset(o, 0, sizeof *o);
}

void lam_job_free(lam_job *j)
{
	if (!j)
		return;
	mem_free(j->function_arn);
	cJSON_Delete(j->cfg);
	mem_free(j->zip);
	mem_free(j->payload);
	mem_free(j->client_context);
	mem_free(j);
}

/* A function error answer: {"errorMessage", "errorType", "stackTrace": []}. */
static void function_error(lam_outcome *o, const char *type, const char *message)
{
	cJSON *e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "errorMessage", message);
	if (type)
		cJSON_AddStringToObject(e, "errorType", type);
	cJSON_AddItemToObject(e, "stackTrace", cJSON_CreateArray());
	sb_clear(&o->payload);
	cj_print_sb(e, &o->payload);
	cJSON_Delete(e);
	o->function_error = 1;
}

/* Runtime errors are reported without a stack trace. */
static void runtime_error(lam_outcome *o, const char *type, const char *message)
{
	cJSON *e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "errorType", type);
	cJSON_AddStringToObject(e, "errorMessage", message);
	sb_clear(&o->payload);
	cj_print_sb(e, &o->payload);
	cJSON_Delete(e);
	o->function_error = 1;
}

static int64_t real_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ======================================================================
 * Interpreters: the machine's own python3 and node, found once
 * ====================================================================== */

static pthread_mutex_t interp_mu = PTHREAD_MUTEX_INITIALIZER;
static char interp_path[2][PATH_MAX];
static char py_site[PATH_MAX]; /* python's site-packages directories, ':'-joined */
static int interp_done[2];

static int find_in_path(const char *prog, char *out, size_t cap)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path; *p;) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n && (size_t)snprintf(out, cap, "%.*s/%s", (int)n, p, prog) < cap && access(out, X_OK) == 0)
			return 0;
		if (!e)
			break;
		p = e + 1;
	}
	return -1;
}

/* The interpreter (0 python3, 1 node), or NULL when the machine has none.
 * Version managers' shims (pyenv, nvm) are resolved to the real binary by
 * asking the interpreter itself, so children need no PATH to find it. */
static const char *interpreter(int which)
{
	static const char *const names[2] = {"python3", "node"};
	static const char *const envs[2] = {"STEPBENCH_PYTHON", "STEPBENCH_NODE"};
	static const char *const ask[2] = {
		"import os, site, sys; sys.stdout.write(sys.executable + '\\n' + os.pathsep.join(site.getsitepackages()))",
		"process.stdout.write(process.execPath + '\\n')"};
	pthread_mutex_lock(&interp_mu);
	if (!interp_done[which]) {
		interp_done[which] = 1;
		char found[PATH_MAX];
		const char *over = getenv(envs[which]);
		int have = 0;
		if (over && *over)
			have = snprintf(found, sizeof found, "%s", over) < (int)sizeof found;
		else
			have = find_in_path(names[which], found, sizeof found) == 0;
		if (have) {
			snprintf(interp_path[which], PATH_MAX, "%s", found);
			char *argv[] = {found, (char *)(which ? "-e" : "-c"), (char *)ask[which], NULL};
			lam_proc p = {found, argv, environ, NULL, NULL, 0, 0, 10000, PATH_MAX, 4096};
			lam_proc_out o;
			sb err = SB_INIT;
			char *nl = NULL;
			if (!lam_proc_run(&p, &o, &err) && o.exit_code == 0 && (nl = strchr(sb_str(&o.result), '\n')) &&
			    o.result.buf[0] == '/' && o.result.len < PATH_MAX) {
				*nl = '\0';
				if (access(o.result.buf, X_OK) == 0)
					snprintf(interp_path[which], PATH_MAX, "%s", o.result.buf);
				if (!which)
					snprintf(py_site, sizeof py_site, "%s", nl + 1);
			}
			lam_proc_out_free(&o);
			sb_free(&err);
		}
	}
	const char *r = interp_path[which][0] ? interp_path[which] : NULL;
	pthread_mutex_unlock(&interp_mu);
	return r;
}

int lam_runtime_supported(const char *rt)
{
	return rt && (!strncmp(rt, "python3", 7) || !strncmp(rt, "nodejs", 6) || !strncmp(rt, "provided", 8));
}

/* ======================================================================
 * The environment a function sees
 * ====================================================================== */

typedef struct env_list {
	char **v;
	size_t n, cap;
} env_list;

static void env_put(env_list *e, const char *k, const char *v)
{
	size_t kl = strlen(k);
	for (size_t i = 0; i < e->n; i++) /* later values replace earlier ones */
		if (!strncmp(e->v[i], k, kl) && e->v[i][kl] == '=') {
			mem_free(e->v[i]);
			e->v[i] = NULL;
			memmove(e->v + i, e->v + i + 1, (e->n - i - 1) * sizeof *e->v);
			e->n--;
			break;
		}
	if (e->n + 2 > e->cap) {
		e->cap = e->cap ? e->cap * 2 : 32;
		e->v = mem_realloc(e->v, e->cap * sizeof *e->v);
	}
	size_t n = kl + strlen(v) + 2;
	e->v[e->n] = mem_alloc(n);
	snprintf(e->v[e->n], n, "%s=%s", k, v);
	e->n++;
	e->v[e->n] = NULL;
}

static void env_free(env_list *e)
{
	for (size_t i = 0; i < e->n; i++)
		mem_free(e->v[i]);
	mem_free(e->v);
}

/* Lambda's own variables, then the function's (reserved names were refused
 * at configuration time), then what stepbench adds for code that calls AWS. */
static void build_env(const lam_job *j, const char *task, const char *tmp, const char *path, env_list *e)
{
	const cJSON *cfg = j->cfg;
	const char *rt = cj_str(cfg, "Runtime");
	char mem[32], buf[512];
	snprintf(mem, sizeof mem, "%d", (int)cj_num(cfg, "MemorySize", 128));
	env_put(e, "PATH", path);
	env_put(e, "LANG", "en_US.UTF-8");
	env_put(e, "TZ", ":UTC");
	if (tmp)
		env_put(e, "TMPDIR", tmp);
	env_put(e, "AWS_REGION", j->region);
	env_put(e, "AWS_DEFAULT_REGION", j->region);
	snprintf(buf, sizeof buf, "AWS_Lambda_%s", rt ? rt : "provided");
	env_put(e, "AWS_EXECUTION_ENV", buf);
	env_put(e, "AWS_LAMBDA_FUNCTION_NAME", j->name);
	env_put(e, "AWS_LAMBDA_FUNCTION_VERSION", j->version);
	env_put(e, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", mem);
	env_put(e, "AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
	snprintf(buf, sizeof buf, "/aws/lambda/%s", j->name);
	env_put(e, "AWS_LAMBDA_LOG_GROUP_NAME", buf);
	snprintf(buf, sizeof buf, "2025/01/01/[%s]%.32s", j->version, j->request_id);
	env_put(e, "AWS_LAMBDA_LOG_STREAM_NAME", buf);
	if (task) {
		env_put(e, "LAMBDA_TASK_ROOT", task);
		env_put(e, "LAMBDA_RUNTIME_DIR", task);
	}
	const char *h = cj_str(cfg, "Handler");
	env_put(e, "_HANDLER", h ? h : "");
	/* credentials as Lambda hands them from the role; the endpoint makes
	 * AWS SDKs in the function talk to this stepbench */
	env_put(e, "AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
	env_put(e, "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
	env_put(e, "AWS_SESSION_TOKEN", "stepbench");
	if (j->w->endpoint[0])
		env_put(e, "AWS_ENDPOINT_URL", j->w->endpoint);
	const cJSON *vars = cj_obj(cj_obj(cfg, "Environment"), "Variables");
	for (const cJSON *v = vars ? vars->child : NULL; v; v = v->next)
		if (cJSON_IsString(v) && strcmp(v->string, "STEPBENCH_BEHAVIOR"))
			env_put(e, v->string, v->valuestring);
}

/* ======================================================================
 * Running code
 * ====================================================================== */

static int write_file(const char *path, const char *text, sb *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t n = strlen(text), off = 0;
	while (fd >= 0 && off < n) {
		ssize_t w = write(fd, text + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;
		off += (size_t)w;
	}
	if (fd >= 0)
		close(fd);
	if (fd < 0 || off < n) {
		sb_printf(err, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void timed_out(const lam_job *j, int timeout_s, lam_outcome *o)
{
	char iso[CLK_ISO_LEN], msg[256];
	clk_fmt_iso(clk_now_ms(j->w->clock), iso);
	snprintf(msg, sizeof msg, "%s %s Task timed out after %d.00 seconds", iso, j->request_id, timeout_s);
	if (o->logs.len && o->logs.buf[o->logs.len - 1] != '\n')
		sb_catc(&o->logs, '\n');
	sb_printf(&o->logs, "%s\n", msg);
	cJSON *e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "errorMessage", msg);
	sb_clear(&o->payload);
	cj_print_sb(e, &o->payload);
	cJSON_Delete(e);
	o->function_error = 1;
}

static void exit_error(const lam_job *j, const lam_proc_out *po, lam_outcome *o)
{
	char msg[256];
	if (po->signal)
		snprintf(msg, sizeof msg, "RequestId: %s Error: Runtime exited with error: signal: %s", j->request_id,
		         po->signal == 9 ? "killed" : strsignal(po->signal));
	else
		snprintf(msg, sizeof msg, "RequestId: %s Error: Runtime exited with error: exit status %d", j->request_id,
		         po->exit_code);
	runtime_error(o, "Runtime.ExitError", msg);
	sb_printf(&o->logs, "%s%s\nRuntime.ExitError\n", o->logs.len && o->logs.buf[o->logs.len - 1] != '\n' ? "\n" : "",
	          msg);
}

/* Runs a prepared process and turns its outcome into the invocation's. */
static void finish_proc(const lam_job *j, const lam_proc *p, int timeout_s, lam_outcome *o)
{
	lam_proc_out po;
	sb err = SB_INIT;
	if (lam_proc_run(p, &po, &err)) {
		o->svc_type = mem_strdup("ServiceException");
		o->svc_message = mem_strdup(sb_str(&err));
		sb_free(&err);
		return;
	}
	sb_free(&err);
	sb_catn(&o->logs, po.log.buf ? po.log.buf : "", po.log.len);
	o->duration_ms = po.duration_ms;
	o->max_rss_mb = (po.max_rss_kb + 1023) / 1024;
	if (po.timed_out) {
		timed_out(j, timeout_s, o);
	} else if (po.result_total > LAM_PAYLOAD_MAX) {
		runtime_error(o, "Function.ResponseSizeTooLarge",
		              "Response payload size exceeded maximum allowed payload size (6291556 bytes).");
	} else if (p->result_fd3) {
		const char *r = po.result.buf ? po.result.buf : "";
		if (!strncmp(r, "OK\n", 3)) {
			sb_catn(&o->payload, r + 3, po.result.len - 3);
		} else if (!strncmp(r, "ERR\n", 4)) {
			sb_catn(&o->payload, r + 4, po.result.len - 4);
			o->function_error = 1;
		} else {
			exit_error(j, &po, o);
		}
	} else if (po.exit_code == 0) {
		sb_catn(&o->payload, po.result.buf ? po.result.buf : "", po.result.len);
	} else {
		exit_error(j, &po, o);
	}
	lam_proc_out_free(&po);
}

static void run_code(const lam_job *j, lam_outcome *o)
{
	const char *rt = cj_str(j->cfg, "Runtime");
	int timeout_s = (int)cj_num(j->cfg, "Timeout", 3);
	if (!lam_runtime_supported(rt)) {
		char msg[256];
		snprintf(msg, sizeof msg,
		         "stepbench cannot run the %s runtime (it runs python3.x, nodejs* and provided*); give the function "
		         "a Behavior",
		         rt ? rt : "(none)");
		runtime_error(o, "Runtime.InvalidRuntime", msg);
		return;
	}
	int which = !strncmp(rt, "python3", 7) ? 0 : !strncmp(rt, "nodejs", 6) ? 1 : 2;
	const char *interp = which < 2 ? interpreter(which) : NULL;
	if (which < 2 && !interp) {
		char msg[128];
		snprintf(msg, sizeof msg, "%s is not installed on this machine", which ? "node" : "python3");
		runtime_error(o, "Runtime.Unavailable", msg);
		return;
	}
	const char *base = getenv("TMPDIR");
	sb dir = SB_INIT, task = SB_INIT, tmp = SB_INIT, boot = SB_INIT, path = SB_INIT, err = SB_INIT;
	sb_printf(&dir, "%s/stepbench-lambda-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(dir.buf)) {
		o->svc_type = mem_strdup("ServiceException");
		o->svc_message = mem_strdup("cannot create a temporary directory for the invocation");
		sb_free(&dir);
		return;
	}
	sb_printf(&task, "%s/task", dir.buf);
	sb_printf(&tmp, "%s/tmp", dir.buf);
	env_list env = {0};
	char **argv = NULL;
	if (mkdir(task.buf, 0755) || mkdir(tmp.buf, 0700)) {
		sb_printf(&err, "cannot create %s: %s", task.buf, strerror(errno));
		goto fail;
	}
	if (j->zip && lam_zip_extract(j->zip, j->zip_len, task.buf, &err))
		goto fail;
	if (interp) {
		sb_printf(&boot, "%s/%s", dir.buf, which ? "lam_boot.js" : "lam_boot.py");
		if (write_file(boot.buf, which ? lam_boot_js : lam_boot_py, &err))
			goto fail;
		file_dirname(interp, &path);
		sb_cat(&path, ":");
	} else {
		sb_printf(&boot, "%s/bootstrap", task.buf);
		struct stat sbuf;
		if (stat(boot.buf, &sbuf) || !S_ISREG(sbuf.st_mode) || !(sbuf.st_mode & S_IXUSR)) {
			runtime_error(o, "Runtime.InvalidEntrypoint",
			              "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]");
			goto out;
		}
	}
	sb_cat(&path, "/usr/local/bin:/usr/bin:/bin");
	build_env(j, task.buf, tmp.buf, sb_str(&path), &env);
	char deadline[32];
	snprintf(deadline, sizeof deadline, "%lld", (long long)(real_ms() + (int64_t)timeout_s * 1000));
	argv = mem_calloc(12, sizeof *argv);
	int a = 0;
	if (interp) {
		argv[a++] = mem_strdup(interp);
		if (!which) {
			argv[a++] = mem_strdup("-u");
			argv[a++] = mem_strdup("-S");
			argv[a++] = mem_strdup("-B");
		}
		argv[a++] = mem_strdup(boot.buf);
		argv[a++] = mem_strdup(j->request_id);
		argv[a++] = mem_strdup(deadline);
		argv[a++] = mem_strdup(j->function_arn);
		argv[a++] = mem_strdup(j->client_context ? j->client_context : "");
		if (!which)
			argv[a++] = mem_strdup(py_site);
	} else {
		argv[a++] = mem_strdup(boot.buf);
	}
	const char *ev = j->payload_len ? j->payload : "{}";
	lam_proc p = {interp ? interp : boot.buf, argv, env.v, task.buf, ev, j->payload_len ? j->payload_len : 2,
	              interp != NULL, timeout_s * 1000, RESULT_CAP, LOG_CAP};
	finish_proc(j, &p, timeout_s, o);
	goto out;
fail:
	o->svc_type = mem_strdup("ServiceException");
	o->svc_message = mem_strdup(sb_str(&err));
out:
	if (file_rmtree(dir.buf))
		log_warn("lambda: cannot remove %s", dir.buf);
	for (int i = 0; argv && argv[i]; i++)
		mem_free(argv[i]);
	mem_free(argv);
	env_free(&env);
	sb_free(&dir);
	sb_free(&task);
	sb_free(&tmp);
	sb_free(&boot);
	sb_free(&path);
	sb_free(&err);
}

/* ======================================================================
 * Behaviours
 * ====================================================================== */

static void run_command(const lam_job *j, const cJSON *b, lam_outcome *o)
{
	const char *cmd = cj_str(b, "command"), *cwd = cj_str(b, "cwd");
	int timeout_s = (int)cj_num(j->cfg, "Timeout", 3);
	sb dir = SB_INIT;
	const char *base = getenv("TMPDIR");
	if (!cwd) {
		sb_printf(&dir, "%s/stepbench-lambda-XXXXXX", base && *base ? base : "/tmp");
		if (!mkdtemp(dir.buf)) {
			o->svc_type = mem_strdup("ServiceException");
			o->svc_message = mem_strdup("cannot create a temporary directory for the invocation");
			sb_free(&dir);
			return;
		}
	}
	env_list env = {0};
	const char *path = getenv("PATH"), *home = getenv("HOME");
	build_env(j, NULL, dir.buf, path ? path : "/usr/local/bin:/usr/bin:/bin", &env);
	if (home)
		env_put(&env, "HOME", home);
	char *argv[] = {(char *)"/bin/sh", (char *)"-c", (char *)cmd, NULL};
	const char *ev = j->payload_len ? j->payload : "{}";
	lam_proc p = {"/bin/sh", argv, env.v, cwd ? cwd : dir.buf, ev, j->payload_len ? j->payload_len : 2, 0,
	              timeout_s * 1000, RESULT_CAP, LOG_CAP};
	finish_proc(j, &p, timeout_s, o);
	env_free(&env);
	if (dir.buf && file_rmtree(dir.buf))
		log_warn("lambda: cannot remove %s", dir.buf);
	sb_free(&dir);
}

typedef struct expr_call {
	const lam_job *j;
	const char *expr;
	lam_outcome *o;
} expr_call;

static void *expr_main(void *arg)
{
	expr_call *c = arg;
	const lam_job *j = c->j;
	lam_outcome *o = c->o;
	jsonata_error je;
	memset(&je, 0, sizeof je);
	jsonata_expr *e = jsonata_compile(c->expr, strlen(c->expr), &je);
	cJSON *event = j->payload_len ? cj_parse(j->payload, j->payload_len, NULL) : cJSON_CreateObject();
	cJSON *result = NULL;
	jsonata_opts opts;
	memset(&opts, 0, sizeof opts);
	opts.clock = j->w->clock;
	opts.timeout_ms = (int)cj_num(j->cfg, "Timeout", 3) * 1000;
	if (e && jsonata_eval(e, event, &opts, &result, &je) == 0) {
		if (result)
			cj_print_sb(result, &o->payload);
		else
			sb_cat(&o->payload, "null");
	} else {
		char msg[1024];
		snprintf(msg, sizeof msg, "%s: %s", je.code, je.message ? je.message : "");
		function_error(o, "Stepbench.ExpressionError", msg);
	}
	cJSON_Delete(result);
	cJSON_Delete(event);
	jsonata_free(e);
	jsonata_error_clear(&je);
	return NULL;
}

int lam_on_big_stack(void *(*fn)(void *), void *arg)
{
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, (size_t)16 << 20);
	pthread_t th;
	int rc = pthread_create(&th, &at, fn, arg);
	pthread_attr_destroy(&at);
	if (rc)
		return -1;
	pthread_join(th, NULL);
	return 0;
}

/* JSONata recurses on the C stack; civetweb's workers have small ones, so
 * the evaluation gets a thread of its own with a stack it cannot exhaust
 * (the evaluator's own stack check then ends hostile recursion cleanly). */
static void run_expression(const lam_job *j, const char *expr, lam_outcome *o)
{
	expr_call c = {j, expr, o};
	if (lam_on_big_stack(expr_main, &c)) {
		o->svc_type = mem_strdup("ServiceException");
		o->svc_message = mem_strdup("cannot start a thread to evaluate the expression");
	}
}

static const char *const kinds[] = {"returns", "error", "expression", "command", NULL};

static void run_behavior(const lam_job *j, const cJSON *b, lam_outcome *o)
{
	const cJSON *v;
	if ((v = cJSON_GetObjectItemCaseSensitive(b, "responses"))) {
		int n = cJSON_GetArraySize(v);
		uint64_t i = j->number ? j->number - 1 : 0;
		const cJSON *r = cJSON_GetArrayItem(v, (int)(i < (uint64_t)n ? i : (uint64_t)n - 1));
		if (cJSON_IsObject(r) && r->child && !r->child->next)
			for (const char *const *k = kinds; *k; k++)
				if (!strcmp(r->child->string, *k)) {
					run_behavior(j, r, o);
					return;
				}
		if (cJSON_IsObject(r) && cJSON_GetObjectItemCaseSensitive(r, "command") &&
		    cJSON_GetObjectItemCaseSensitive(r, "cwd")) {
			run_behavior(j, r, o);
			return;
		}
		cj_print_sb(r, &o->payload);
	} else if ((v = cJSON_GetObjectItemCaseSensitive(b, "returns"))) {
		cj_print_sb(v, &o->payload);
	} else if ((v = cJSON_GetObjectItemCaseSensitive(b, "error"))) {
		const char *svc = cj_str(v, "service"), *msg = cj_str(v, "message");
		if (svc) {
			if (!strncmp(svc, "Lambda.", 7))
				svc += 7;
			o->svc_type = mem_strdup(svc);
			o->svc_message = mem_strdup(msg ? msg : "");
		} else {
			const char *type = cj_str(v, "type");
			function_error(o, type ? type : "Error", msg ? msg : "");
		}
	} else if ((v = cJSON_GetObjectItemCaseSensitive(b, "expression"))) {
		run_expression(j, v->valuestring, o);
	} else if (cJSON_GetObjectItemCaseSensitive(b, "command")) {
		run_command(j, b, o);
	}
}

void lam_run(const lam_job *j, lam_outcome *o)
{
	memset(o, 0, sizeof *o);
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(j->cfg, "_behavior");
	if (b) {
		run_behavior(j, b, o);
		if (!o->duration_ms) /* scripted answers take world-clock time: none on a virtual clock */
			o->duration_ms = (double)(clk_now_ms(j->w->clock) - j->now_ms);
	} else {
		run_code(j, o);
	}
}
