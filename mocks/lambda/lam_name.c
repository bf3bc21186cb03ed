/* lam_name.c - function names, ARNs, partial ARNs and qualifiers as Lambda accepts them. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "common/cj.h"
#include "mocks/lambda/lam_int.h"

static int word_char(int c) { return isalnum(c) || c == '-' || c == '_'; }

static int all_of(const char *s, size_t n, int (*ok)(int))
{
	for (size_t i = 0; i < n; i++)
		if (!ok((unsigned char)s[i]))
			return 0;
	return 1;
}

static int digit_char(int c) { return isdigit(c); }
static int region_char(int c) { return islower(c) || isdigit(c) || c == '-'; }

int lam_name_valid(const char *s)
{
	size_t n = strlen(s);
	return n >= 1 && n <= LAM_NAME_MAX && all_of(s, n, word_char);
}

int lam_is_version(const char *s)
{
	size_t n = strlen(s);
	return n >= 1 && n <= 10 && all_of(s, n, digit_char);
}

int lam_alias_valid(const char *s)
{
	size_t n = strlen(s);
	return n >= 1 && n <= LAM_QUAL_MAX && all_of(s, n, word_char) && !all_of(s, n, digit_char);
}

static int qual_valid(const char *s, size_t n)
{
	if (n == strlen(LAM_LATEST) && !strncmp(s, LAM_LATEST, n))
		return 1;
	return n >= 1 && n <= LAM_QUAL_MAX && all_of(s, n, word_char);
}

/* Copy n bytes into a fixed buffer; -1 when they do not fit. */
static int put(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

int lam_fname_parse(const char *s, lam_fname *f)
{
	memset(f, 0, sizeof *f);
	const char *part[9];
	size_t len[9];
	int n = 0;
	for (const char *p = s;; n++) {
		if (n == 9)
			return -1;
		const char *c = strchr(p, ':');
		part[n] = p;
		len[n] = c ? (size_t)(c - p) : strlen(p);
		if (!c) {
			n++;
			break;
		}
		p = c + 1;
	}
	int i = 0; /* index of the name part */
	if (n >= 7 && len[0] == 3 && !strncmp(part[0], "arn", 3)) {
		/* arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER] */
		if (n > 8 || len[1] < 3 || strncmp(part[1], "aws", 3) || len[2] != 6 || strncmp(part[2], "lambda", 6) ||
		    len[5] != 8 || strncmp(part[5], "function", 8))
			return -1;
		if (!len[3] || !all_of(part[3], len[3], region_char) || put(f->region, sizeof f->region, part[3], len[3]))
			return -1;
		if (len[4] != 12 || !all_of(part[4], 12, digit_char))
			return -1;
		put(f->account, sizeof f->account, part[4], 12);
		i = 6;
	} else if (n >= 3 && len[1] == 8 && !strncmp(part[1], "function", 8)) {
		/* ACCOUNT:function:NAME[:QUALIFIER] */
		if (n > 4 || len[0] != 12 || !all_of(part[0], 12, digit_char))
			return -1;
		put(f->account, sizeof f->account, part[0], 12);
		i = 2;
	} else if (n > 2) {
		return -1;
	}
	if (n - i > 2 || !len[i] || len[i] > LAM_NAME_MAX || !all_of(part[i], len[i], word_char))
		return -1;
	put(f->name, sizeof f->name, part[i], len[i]);
	if (n - i == 2) {
		if (!qual_valid(part[i + 1], len[i + 1]))
			return -1;
		put(f->qualifier, sizeof f->qualifier, part[i + 1], len[i + 1]);
	}
	return 0;
}

#define FN_PATTERN                                                                                    \
	"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?" \
	"([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?"

int lam_req_fname(mock_req *rq, const char *qual_key, lam_fname *f, const char **region)
{
	const cJSON *fnv = cJSON_GetObjectItemCaseSensitive(rq->in, "FunctionName");
	if (!fnv || cJSON_IsNull(fnv)) {
		mock_fail(rq, AWSERR_LAM_ValidationException,
		          "1 validation error detected: Value null at 'functionName' failed to satisfy constraint: "
		          "Member must not be null");
		return -1;
	}
	const char *fn = cJSON_GetStringValue(fnv);
	if (!fn) {
		mock_fail(rq, AWSERR_LAM_InvalidRequestContentException,
		          "Could not parse request body into json: FunctionName must be a string");
		return -1;
	}
	if (!*fn || strlen(fn) > 256 || lam_fname_parse(fn, f)) {
		mock_fail(rq, AWSERR_LAM_ValidationException,
		          "1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: "
		          "Member must satisfy regular expression pattern: " FN_PATTERN,
		          fn);
		return -1;
	}
	const char *q = qual_key ? cj_str(rq->in, qual_key) : NULL;
	if (q && *q) {
		if (!qual_valid(q, strlen(q))) {
			mock_fail(rq, AWSERR_LAM_ValidationException,
			          "1 validation error detected: Value '%s' at 'qualifier' failed to satisfy constraint: "
			          "Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)",
			          q);
			return -1;
		}
		if (*f->qualifier && strcmp(f->qualifier, q)) {
			mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
			          "The derived qualifier from the function name does not match the specified qualifier.");
			return -1;
		}
		snprintf(f->qualifier, sizeof f->qualifier, "%s", q);
	}
	*region = *f->region ? f->region : rq->region;
	return 0;
}

int lam_function_arn(const char *function_name, const char *qualifier, const char *region, const char *account,
                     sb *out)
{
	lam_fname f;
	if (!function_name || lam_fname_parse(function_name, &f))
		return -1;
	const char *q = f.qualifier[0] ? f.qualifier : qualifier;
	sb_printf(out, "arn:aws:lambda:%s:%s:function:%s", f.region[0] ? f.region : region,
	          f.account[0] ? f.account : account, f.name);
	if (q && *q)
		sb_printf(out, ":%s", q);
	return 0;
}
