/* sqs_attr.c - message attributes: validation and AWS's MD5 encoding. */
#include <ctype.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "common/b64.h"
#include "common/cj.h"
#include "common/hash.h"
#include "common/mem.h"
#include "mocks/sqs/sqs_int.h"

void sqs_md5_hex(const void *p, size_t n, char out[33])
{
	unsigned char d[16];
	hash_md5(p, n, d);
	hash_hex_buf(d, 16, out);
}

/* The logical type before any custom ".suffix": "String", "Number", "Binary". */
static int base_type(const char *dt, size_t *blen)
{
	const char *dot = strchr(dt, '.');
	size_t n = dot ? (size_t)(dot - dt) : strlen(dt);
	*blen = n;
	if (n == 6 && !strncmp(dt, "String", 6))
		return 1;
	if (n == 6 && !strncmp(dt, "Number", 6))
		return 1;
	if (n == 6 && !strncmp(dt, "Binary", 6))
		return 2;
	return 0;
}

static void put_len_bytes(sb *s, const void *p, size_t n)
{
	char l[4] = {(char)(n >> 24), (char)(n >> 16), (char)(n >> 8), (char)n};
	sb_catn(s, l, 4);
	sb_catn(s, p, n);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

int sqs_md5_of_attributes(const cJSON *attrs, char out[33])
{
	int n = cJSON_GetArraySize(attrs);
	if (!cJSON_IsObject(attrs) || n <= 0)
		return -1;
	const cJSON **v = mem_alloc(sizeof *v * (size_t)n);
	int i = 0;
	for (const cJSON *a = attrs->child; a; a = a->next)
		v[i++] = a;
	qsort(v, (size_t)n, sizeof *v, name_cmp);
	sb buf = SB_INIT, bin = SB_INIT;
	int rc = 0;
	for (i = 0; i < n && rc == 0; i++) {
		const char *dt = cj_str(v[i], "DataType");
		size_t bl;
		int tt = dt ? base_type(dt, &bl) : 0;
		if (!tt) {
			rc = -1;
			break;
		}
		put_len_bytes(&buf, v[i]->string, strlen(v[i]->string));
		put_len_bytes(&buf, dt, strlen(dt));
		sb_catc(&buf, (char)tt);
		if (tt == 1) {
			const char *s = cj_str(v[i], "StringValue");
			if (!s) {
				rc = -1;
				break;
			}
			put_len_bytes(&buf, s, strlen(s));
		} else {
			const char *s = cj_str(v[i], "BinaryValue");
			sb_clear(&bin);
			if (!s || b64_decode(s, strlen(s), 0, &bin)) {
				rc = -1;
				break;
			}
			put_len_bytes(&buf, bin.buf ? bin.buf : "", bin.len);
		}
	}
	if (rc == 0)
		sqs_md5_hex(buf.buf ? buf.buf : "", buf.len, out);
	sb_free(&buf);
	sb_free(&bin);
	mem_free(v);
	return rc;
}

/* XML 1.0 characters: #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF,
 * in well-formed UTF-8. */
int sqs_body_valid(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p, *e = s + n;
	while (s < e) {
		unsigned c = *s;
		if (c < 0x80) {
			if (c < 0x20 && c != 9 && c != 10 && c != 13)
				return 0;
			s++;
			continue;
		}
		int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
		if (!len || c > 0xF4 || e - s < len)
			return 0;
		uint32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
		for (int i = 1; i < len; i++) {
			if ((s[i] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i] & 0x3F);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
			return 0; /* overlong */
		if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
			return 0;
		s += len;
	}
	return 1;
}

/* Attribute names: [A-Za-z0-9_.-], up to 256, no leading/trailing or double
 * periods, not starting with AWS. or Amazon. (any case). */
static int name_valid(const char *n, sb *err)
{
	size_t l = strlen(n);
	if (l == 0 || l > 256) {
		sb_printf(err, "Message (user) attribute name must be between 1 and 256 characters long.");
		return 0;
	}
	for (size_t i = 0; i < l; i++) {
		unsigned char c = (unsigned char)n[i];
		if (!(isalnum(c) || c == '_' || c == '-' || c == '.')) {
			sb_printf(err, "Message (user) attribute name '%s' can only contain alphanumeric characters, "
			               "hyphens, underscores or periods.", n);
			return 0;
		}
	}
	if (n[0] == '.' || n[l - 1] == '.' || strstr(n, "..")) {
		sb_printf(err, "Message (user) attribute name '%s' can not start or end with a period, "
		               "or have consecutive periods.", n);
		return 0;
	}
	if (!strncasecmp(n, "AWS.", 4) || !strncasecmp(n, "Amazon.", 7)) {
		sb_printf(err, "Message (user) attribute name '%s' is reserved for use by Amazon.", n);
		return 0;
	}
	return 1;
}

/* A Number value: an optional sign, digits with an optional fraction and
 * exponent, at most 38 significant digits. */
static int number_valid(const char *s)
{
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	int digits = 0, sig = 0, lead = 1;
	for (; isdigit((unsigned char)*p) || *p == '.'; p++) {
		if (*p == '.')
			continue;
		digits++;
		if (*p != '0')
			lead = 0;
		if (!lead)
			sig++;
	}
	if (!digits || strchr(strchr(s, '.') ? strchr(s, '.') + 1 : "", '.'))
		return 0;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return 0;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return *p == '\0' && sig <= 38;
}

int sqs_attrs_check(const cJSON *attrs, int sys, size_t *size, sb *err)
{
	if (!attrs || cJSON_IsNull(attrs))
		return 0;
	if (!cJSON_IsObject(attrs)) {
		sb_printf(err, "%s must be a map.", sys ? "MessageSystemAttributes" : "MessageAttributes");
		return -1;
	}
	int n = cJSON_GetArraySize(attrs);
	if (!sys && n > SQS_MAX_ATTRS) {
		sb_printf(err, "Number of message attributes [%d] exceeds the allowed maximum [%d].", n, SQS_MAX_ATTRS);
		return -1;
	}
	for (const cJSON *a = attrs->child; a; a = a->next) {
		const char *name = a->string;
		if (sys) {
			if (strcmp(name, "AWSTraceHeader")) {
				sb_printf(err, "Message system attribute name '%s' is invalid.", name);
				return -1;
			}
		} else if (!name_valid(name, err)) {
			return -1;
		}
		const char *kind = sys ? "Message system attribute" : "The message attribute";
		if (!cJSON_IsObject(a)) {
			sb_printf(err, "%s '%s' must contain a non-empty message attribute value.", kind, name);
			return -1;
		}
		const char *dt = cj_str(a, "DataType");
		if (!dt || !*dt) {
			sb_printf(err, "%s '%s' must contain non-empty message attribute type.", kind, name);
			return -1;
		}
		size_t bl;
		int tt = base_type(dt, &bl);
		if (!tt || (dt[bl] == '.' && dt[bl + 1] == '\0') || strlen(dt) > 256) {
			sb_printf(err, "%s '%s' has an invalid message attribute type, the set of supported type "
			               "prefixes is Binary, Number, and String.", kind, name);
			return -1;
		}
		if (sys && strcmp(dt, "String")) {
			sb_printf(err, "%s '%s' must be of type String.", kind, name);
			return -1;
		}
		const cJSON *sv = cJSON_GetObjectItemCaseSensitive(a, "StringValue");
		const cJSON *bv = cJSON_GetObjectItemCaseSensitive(a, "BinaryValue");
		if (cJSON_GetObjectItemCaseSensitive(a, "StringListValues") ||
		    cJSON_GetObjectItemCaseSensitive(a, "BinaryListValues")) {
			sb_printf(err, "%s '%s' uses StringListValues or BinaryListValues, which are reserved for "
			               "future use and not supported.", kind, name);
			return -1;
		}
		if (tt == 1) {
			if (!cJSON_IsString(sv) || !*sv->valuestring || bv) {
				sb_printf(err, "%s '%s' with type '%.*s' must use field 'String'.", kind, name, (int)bl, dt);
				return -1;
			}
			size_t vl = strlen(sv->valuestring);
			if (!sqs_body_valid(sv->valuestring, vl)) {
				sb_printf(err, "%s '%s' contains invalid characters.", kind, name);
				return -1;
			}
			if (bl == 6 && !strncmp(dt, "Number", 6) && !number_valid(sv->valuestring)) {
				sb_printf(err, "Can't cast the value of message (user) attribute '%s' to a number.", name);
				return -1;
			}
			*size += vl;
		} else {
			sb bin = SB_INIT;
			int bad = !cJSON_IsString(bv) || sv ||
			          b64_decode(bv->valuestring, strlen(bv->valuestring), 0, &bin) || bin.len == 0;
			size_t vl = bin.len;
			sb_free(&bin);
			if (bad) {
				sb_printf(err, "%s '%s' with type 'Binary' must use field 'Binary'.", kind, name);
				return -1;
			}
			*size += vl;
		}
		*size += strlen(name) + strlen(dt);
	}
	return 0;
}
