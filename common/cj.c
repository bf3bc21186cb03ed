/* cj.c - cJSON helpers; a located JSON parser that builds cJSON trees. */
#include "common/cj.h"

#include "common/mem.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================
 * Located parser
 *
 * cJSON's parser tells neither where a syntax error is in words nor where a
 * value was, so files people write are parsed here, into cJSON nodes, and
 * every node's key and value offsets go into a pointer-keyed hash table.
 * ====================================================================== */

typedef struct {
	const cJSON *node;
	size_t key_off, val_off;
} cj_loc;

struct cj_doc {
	char *name;
	const char *text; /* borrowed while parsing, then a private copy */
	size_t len;
	cJSON *root;
	cj_loc *locs; /* open addressing, capacity a power of two */
	size_t nlocs, cap;
	size_t *lines; /* offsets of line starts, for offset -> line:col */
	size_t nlines;
};

typedef struct {
	cj_doc *d;
	size_t pos;
	int depth;
	const char *msg; /* first error */
	size_t errpos;
} cj_parser;

static size_t loc_hash(const cJSON *p)
{
	uintptr_t x = (uintptr_t)p;
	x ^= x >> 17;
	x *= (uintptr_t)0x9E3779B97F4A7C15ull;
	return (size_t)(x ^ (x >> 29));
}

static void loc_put(cj_doc *d, const cJSON *node, size_t key_off, size_t val_off)
{
	if ((d->nlocs + 1) * 2 > d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 64;
		cj_loc *n = mem_calloc(ncap, sizeof *n);
		for (size_t i = 0; i < d->cap; i++) {
			if (!d->locs[i].node)
				continue;
			size_t h = loc_hash(d->locs[i].node) & (ncap - 1);
			while (n[h].node)
				h = (h + 1) & (ncap - 1);
			n[h] = d->locs[i];
		}
		mem_free(d->locs);
		d->locs = n;
		d->cap = ncap;
	}
	size_t h = loc_hash(node) & (d->cap - 1);
	while (d->locs[h].node && d->locs[h].node != node)
		h = (h + 1) & (d->cap - 1);
	if (!d->locs[h].node)
		d->nlocs++;
	d->locs[h] = (cj_loc){node, key_off, val_off};
}

static const cj_loc *loc_get(const cj_doc *d, const cJSON *node)
{
	if (!d->cap)
		return NULL;
	size_t h = loc_hash(node) & (d->cap - 1);
	while (d->locs[h].node) {
		if (d->locs[h].node == node)
			return &d->locs[h];
		h = (h + 1) & (d->cap - 1);
	}
	return NULL;
}

static int fail(cj_parser *p, const char *msg)
{
	if (!p->msg) {
		p->msg = msg;
		p->errpos = p->pos;
	}
	return -1;
}

static void skip_ws(cj_parser *p)
{
	const char *t = p->d->text;
	while (p->pos < p->d->len &&
	       (t[p->pos] == ' ' || t[p->pos] == '\t' || t[p->pos] == '\n' || t[p->pos] == '\r'))
		p->pos++;
}

static int hex4(const char *s, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void put_utf8(sb *o, unsigned cp)
{
	if (cp < 0x80) {
		sb_catc(o, (char)cp);
	} else if (cp < 0x800) {
		sb_catc(o, (char)(0xC0 | (cp >> 6)));
		sb_catc(o, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		sb_catc(o, (char)(0xE0 | (cp >> 12)));
		sb_catc(o, (char)(0x80 | ((cp >> 6) & 0x3F)));
		sb_catc(o, (char)(0x80 | (cp & 0x3F)));
	} else {
		sb_catc(o, (char)(0xF0 | (cp >> 18)));
		sb_catc(o, (char)(0x80 | ((cp >> 12) & 0x3F)));
		sb_catc(o, (char)(0x80 | ((cp >> 6) & 0x3F)));
		sb_catc(o, (char)(0x80 | (cp & 0x3F)));
	}
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t k;
	unsigned min;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		k = 2, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		k = 3, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		k = 4, min = 0x10000;
	else
		return 0;
	if (k > n)
		return 0;
	unsigned cp = c & (0x7F >> k);
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return k;
}

/* Parses a string at p->pos (which is at the opening quote) into out. */
static int parse_string(cj_parser *p, sb *out)
{
	const char *t = p->d->text;
	size_t n = p->d->len;
	p->pos++;
	while (p->pos < n) {
		unsigned char c = (unsigned char)t[p->pos];
		if (c == '"') {
			p->pos++;
			return 0;
		}
		if (c < 0x20)
			return fail(p, c == '\n' ? "unterminated string" : "control character in string (escape it)");
		if (c == '\\') {
			if (p->pos + 1 >= n)
				return fail(p, "unterminated string");
			char e = t[p->pos + 1];
			const char *m = strchr("\"\\/bfnrt", e);
			if (e && m) {
				static const char rep[] = "\"\\/\b\f\n\r\t";
				sb_catc(out, rep[m - "\"\\/bfnrt"]);
				p->pos += 2;
				continue;
			}
			if (e != 'u')
				return fail(p, "invalid escape in string");
			unsigned cp;
			if (p->pos + 6 > n || hex4(t + p->pos + 2, &cp))
				return fail(p, "invalid \\u escape (four hex digits expected)");
			p->pos += 6;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				unsigned lo;
				if (p->pos + 6 <= n && t[p->pos] == '\\' && t[p->pos + 1] == 'u' &&
				    !hex4(t + p->pos + 2, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					p->pos += 6;
				} else {
					cp = 0xFFFD; /* lone surrogate: not representable in UTF-8 */
				}
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				cp = 0xFFFD;
			}
			put_utf8(out, cp);
			continue;
		}
		size_t k = utf8_seq((const unsigned char *)t + p->pos, n - p->pos);
		if (!k)
			return fail(p, "invalid UTF-8 in string");
		sb_catn(out, t + p->pos, k);
		p->pos += k;
	}
	return fail(p, "unterminated string");
}

static int parse_number(cj_parser *p, double *out)
{
	const char *t = p->d->text;
	size_t n = p->d->len, s = p->pos, i = p->pos;
	if (i < n && t[i] == '-')
		i++;
	if (i >= n || !isdigit((unsigned char)t[i]))
		return fail(p, "invalid number");
	if (t[i] == '0')
		i++;
	else
		while (i < n && isdigit((unsigned char)t[i]))
			i++;
	if (i < n && t[i] == '.') {
		i++;
		if (i >= n || !isdigit((unsigned char)t[i])) {
			p->pos = i;
			return fail(p, "invalid number: digit expected after '.'");
		}
		while (i < n && isdigit((unsigned char)t[i]))
			i++;
	}
	if (i < n && (t[i] == 'e' || t[i] == 'E')) {
		i++;
		if (i < n && (t[i] == '+' || t[i] == '-'))
			i++;
		if (i >= n || !isdigit((unsigned char)t[i])) {
			p->pos = i;
			return fail(p, "invalid number: digit expected in exponent");
		}
		while (i < n && isdigit((unsigned char)t[i]))
			i++;
	}
	char buf[64];
	char *tmp = NULL;
	const char *num = buf;
	if (i - s < sizeof buf) {
		memcpy(buf, t + s, i - s);
		buf[i - s] = '\0';
	} else {
		num = tmp = mem_strndup(t + s, i - s);
	}
	*out = strtod(num, NULL);
	mem_free(tmp);
	p->pos = i;
	return 0;
}

static cJSON *parse_value(cj_parser *p, size_t key_off);

static int literal(cj_parser *p, const char *word)
{
	size_t k = strlen(word);
	if (p->d->len - p->pos >= k && !memcmp(p->d->text + p->pos, word, k)) {
		p->pos += k;
		return 1;
	}
	return 0;
}

static cJSON *parse_container(cj_parser *p, int is_obj)
{
	const char *t = p->d->text;
	if (++p->depth > CJ_MAX_DEPTH) {
		fail(p, "nesting too deep");
		return NULL;
	}
	cJSON *c = is_obj ? cJSON_CreateObject() : cJSON_CreateArray();
	char close = is_obj ? '}' : ']';
	p->pos++;
	skip_ws(p);
	if (p->pos < p->d->len && t[p->pos] == close) {
		p->pos++;
		p->depth--;
		return c;
	}
	sb key = SB_INIT;
	for (;;) {
		skip_ws(p);
		size_t key_off = p->pos;
		if (is_obj) {
			if (p->pos >= p->d->len || t[p->pos] != '"') {
				fail(p, p->pos >= p->d->len ? "unexpected end of input: expected a member name"
				                            : "expected a member name in double quotes");
				goto bad;
			}
			sb_clear(&key);
			if (parse_string(p, &key))
				goto bad;
			skip_ws(p);
			if (p->pos >= p->d->len || t[p->pos] != ':') {
				fail(p, "expected ':' after the member name");
				goto bad;
			}
			p->pos++;
			skip_ws(p);
		}
		cJSON *v = parse_value(p, key_off);
		if (!v)
			goto bad;
		if (is_obj)
			cJSON_AddItemToObject(c, sb_str(&key), v);
		else
			cJSON_AddItemToArray(c, v);
		skip_ws(p);
		if (p->pos >= p->d->len) {
			fail(p, is_obj ? "unexpected end of input: expected ',' or '}'"
			               : "unexpected end of input: expected ',' or ']'");
			goto bad;
		}
		if (t[p->pos] == ',') {
			p->pos++;
			skip_ws(p);
			if (p->pos < p->d->len && t[p->pos] == close) {
				fail(p, "trailing comma");
				goto bad;
			}
			continue;
		}
		if (t[p->pos] == close) {
			p->pos++;
			break;
		}
		fail(p, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
		goto bad;
	}
	sb_free(&key);
	p->depth--;
	return c;
bad:
	sb_free(&key);
	cJSON_Delete(c);
	return NULL;
}

static cJSON *parse_value(cj_parser *p, size_t key_off)
{
	const char *t = p->d->text;
	skip_ws(p);
	size_t at = p->pos;
	if (at >= p->d->len) {
		fail(p, "unexpected end of input: expected a value");
		return NULL;
	}
	cJSON *v = NULL;
	switch (t[at]) {
	case '{': v = parse_container(p, 1); break;
	case '[': v = parse_container(p, 0); break;
	case '"': {
		sb s = SB_INIT;
		if (!parse_string(p, &s))
			v = cJSON_CreateString(sb_str(&s));
		sb_free(&s);
		break;
	}
	case 't': if (literal(p, "true")) v = cJSON_CreateTrue(); break;
	case 'f': if (literal(p, "false")) v = cJSON_CreateFalse(); break;
	case 'n': if (literal(p, "null")) v = cJSON_CreateNull(); break;
	default:
		if (t[at] == '-' || isdigit((unsigned char)t[at])) {
			double d;
			if (!parse_number(p, &d))
				v = cJSON_CreateNumber(d);
		}
	}
	if (!v) {
		if (!p->msg) {
			unsigned char c = (unsigned char)t[at];
			fail(p, c == '\'' ? "strings take double quotes" : "expected a value");
		}
		return NULL;
	}
	loc_put(p->d, v, key_off, at);
	return v;
}

static void offset_to_line_col(const cj_doc *d, size_t off, int *line, int *col)
{
	/* binary search the line starts */
	size_t lo = 0, hi = d->nlines;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (d->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = (int)lo + 1;
	*col = (int)(off - d->lines[lo]) + 1;
}

static void index_lines(cj_doc *d)
{
	size_t cap = 64;
	d->lines = mem_alloc(cap * sizeof *d->lines);
	d->lines[0] = 0;
	d->nlines = 1;
	for (size_t i = 0; i < d->len; i++) {
		if (d->text[i] != '\n')
			continue;
		if (d->nlines == cap) {
			cap *= 2;
			d->lines = mem_realloc(d->lines, cap * sizeof *d->lines);
		}
		d->lines[d->nlines++] = i + 1;
	}
}

cj_doc *cj_doc_parse(const char *text, size_t len, const char *name, sb *err)
{
	cj_doc *d = mem_calloc(1, sizeof *d);
	d->name = mem_strdup(name ? name : "<input>");
	d->text = text;
	d->len = len;
	index_lines(d);
	cj_parser p = {d, 0, 0, NULL, 0};
	/* a UTF-8 byte order mark is tolerated, as editors write one */
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		p.pos = 3;
	skip_ws(&p);
	if (p.pos >= len) {
		fail(&p, "empty document: expected a JSON value");
	} else {
		d->root = parse_value(&p, p.pos);
		skip_ws(&p);
		if (d->root && p.pos < len)
			fail(&p, "unexpected text after the JSON value");
	}
	d->text = NULL;
	if (p.msg) {
		int line, col;
		offset_to_line_col(d, p.errpos, &line, &col);
		if (err)
			sb_printf(err, "%s:%d:%d: %s", d->name, line, col, p.msg);
		cj_doc_free(d);
		return NULL;
	}
	return d;
}

cJSON *cj_doc_root(const cj_doc *d) { return d->root; }

cJSON *cj_doc_detach(cj_doc *d)
{
	cJSON *r = d->root;
	d->root = NULL;
	return r;
}

const char *cj_doc_name(const cj_doc *d) { return d->name; }

void cj_doc_pos(const cj_doc *d, const cJSON *node, int key, int *line, int *col)
{
	const cj_loc *l = node ? loc_get(d, node) : NULL;
	if (!l) {
		*line = *col = 0;
		return;
	}
	offset_to_line_col(d, key ? l->key_off : l->val_off, line, col);
}

void cj_doc_where(const cj_doc *d, const cJSON *node, int key, sb *out)
{
	int line, col;
	cj_doc_pos(d, node, key, &line, &col);
	if (!line)
		sb_printf(out, "%s: ", d->name);
	else
		sb_printf(out, "%s:%d:%d: ", d->name, line, col);
}

void cj_doc_free(cj_doc *d)
{
	if (!d)
		return;
	cJSON_Delete(d->root);
	mem_free(d->locs);
	mem_free(d->lines);
	mem_free(d->name);
	mem_free(d);
}

cJSON *cj_parse(const char *text, size_t len, size_t *errpos)
{
	const char *end = NULL;
	cJSON *v = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (v) {
		/* cJSON stops after the value: only whitespace may follow */
		size_t i = (size_t)(end - text);
		while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
			i++;
		if (i == len)
			return v;
		cJSON_Delete(v);
		if (errpos)
			*errpos = i;
		return NULL;
	}
	if (errpos) {
		const char *e = cJSON_GetErrorPtr();
		*errpos = (e && e >= text && e <= text + len) ? (size_t)(e - text) : 0;
	}
	return NULL;
}

/* ======================================================================
 * Member access and values
 * ====================================================================== */

const char *cj_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

double cj_num(const cJSON *obj, const char *key, double dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

int cj_bool(const cJSON *obj, const char *key, int dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}

cJSON *cj_obj(const cJSON *obj, const char *key)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsObject(v) ? v : NULL;
}

cJSON *cj_arr(const cJSON *obj, const char *key)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsArray(v) ? v : NULL;
}

int cj_equal(const cJSON *a, const cJSON *b)
{
	if (!a || !b)
		return a == b;
	int ta = a->type & 0xFF, tb = b->type & 0xFF;
	if (cJSON_IsBool(a) && cJSON_IsBool(b))
		return cJSON_IsTrue(a) == cJSON_IsTrue(b);
	if (ta != tb)
		return 0;
	switch (ta) {
	case cJSON_NULL: return 1;
	case cJSON_Number: return a->valuedouble == b->valuedouble;
	case cJSON_String: return strcmp(a->valuestring, b->valuestring) == 0;
	case cJSON_Array: {
		const cJSON *x = a->child, *y = b->child;
		for (; x && y; x = x->next, y = y->next)
			if (!cj_equal(x, y))
				return 0;
		return !x && !y;
	}
	case cJSON_Object: {
		int na = cJSON_GetArraySize(a), nb = cJSON_GetArraySize(b);
		if (na != nb)
			return 0;
		for (const cJSON *x = a->child; x; x = x->next) {
			const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, x->string);
			if (!y || !cj_equal(x, y))
				return 0;
		}
		return 1;
	}
	default: return 0;
	}
}

char *cj_print(const cJSON *v)
{
	sb s = SB_INIT;
	cj_print_sb(v, &s);
	return sb_steal(&s);
}

void cj_print_sb(const cJSON *v, sb *out)
{
	char *t = cJSON_PrintUnformatted(v);
	if (t) {
		sb_cat(out, t);
		cJSON_free(t);
	}
}

static void pretty(const cJSON *v, sb *out, int depth)
{
	int obj = cJSON_IsObject(v);
	if (!(obj || cJSON_IsArray(v))) {
		cj_print_sb(v, out);
		return;
	}
	if (!v->child) {
		sb_cat(out, obj ? "{}" : "[]");
		return;
	}
	sb_catc(out, obj ? '{' : '[');
	for (const cJSON *x = v->child; x; x = x->next) {
		sb_catc(out, '\n');
		for (int i = 0; i <= depth; i++)
			sb_cat(out, "  ");
		if (obj) {
			sb_cat_json_str(out, x->string, strlen(x->string));
			sb_cat(out, ": ");
		}
		pretty(x, out, depth + 1);
		if (x->next)
			sb_catc(out, ',');
	}
	sb_catc(out, '\n');
	for (int i = 0; i < depth; i++)
		sb_cat(out, "  ");
	sb_catc(out, obj ? '}' : ']');
}

void cj_pretty_sb(const cJSON *v, sb *out) { pretty(v, out, 0); }

void cj_path_key(sb *path, const char *key)
{
	int ident = (isalpha((unsigned char)key[0]) || key[0] == '_');
	for (const char *k = key; *k && ident; k++)
		ident = isalnum((unsigned char)*k) || *k == '_';
	if (ident) {
		sb_catc(path, '.');
		sb_cat(path, key);
		return;
	}
	sb_cat(path, "['");
	for (const char *k = key; *k; k++) {
		if (*k == '\'' || *k == '\\')
			sb_catc(path, '\\');
		sb_catc(path, *k);
	}
	sb_cat(path, "']");
}

void cj_path_index(sb *path, int i) { sb_printf(path, "[%d]", i); }

const char *cj_type_name(const cJSON *v)
{
	if (!v)
		return "undefined";
	if (cJSON_IsObject(v))
		return "object";
	if (cJSON_IsArray(v))
		return "array";
	if (cJSON_IsString(v))
		return "string";
	if (cJSON_IsNumber(v))
		return "number";
	if (cJSON_IsBool(v))
		return "boolean";
	return "null";
}
