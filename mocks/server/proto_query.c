/* proto_query.c - form decoding and XML rendering shared by the query-protocol services. */
#include "mocks/server/proto_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes n bytes of s into out; -1 on a malformed escape. */
static int form_decode(const char *s, size_t n, sb *out)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			sb_catc(out, ' ');
		} else if (s[i] == '%') {
			int h, l;
			if (i + 2 >= n || (h = hexval(s[i + 1])) < 0 || (l = hexval(s[i + 2])) < 0)
				return -1;
			sb_catc(out, (char)(h * 16 + l));
			i += 2;
		} else {
			sb_catc(out, s[i]);
		}
	}
	return 0;
}

static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t k;
		unsigned cp, min;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			k = 2, min = 0x80;
		else if (c >= 0xE0 && c <= 0xEF)
			k = 3, min = 0x800;
		else if (c >= 0xF0 && c <= 0xF4)
			k = 4, min = 0x10000;
		else
			return 0;
		if (i + k > n)
			return 0;
		cp = c & (0x7Fu >> k);
		for (size_t j = 1; j < k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += k;
	}
	return 1;
}

cJSON *query_form_parse(const char *s, size_t len)
{
	cJSON *o = cJSON_CreateObject();
	sb k = SB_INIT, v = SB_INIT;
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && s[j] != '&')
			j++;
		if (j > i) {
			const char *eq = memchr(s + i, '=', j - i);
			size_t kl = eq ? (size_t)(eq - (s + i)) : j - i;
			sb_clear(&k);
			sb_clear(&v);
			if (form_decode(s + i, kl, &k) || (eq && form_decode(eq + 1, (size_t)(s + j - eq - 1), &v)) ||
			    !valid_utf8((const unsigned char *)sb_str(&k), k.len) ||
			    !valid_utf8((const unsigned char *)sb_str(&v), v.len) || memchr(sb_str(&k), '\0', k.len) ||
			    memchr(sb_str(&v), '\0', v.len)) {
				sb_free(&k);
				sb_free(&v);
				cJSON_Delete(o);
				return NULL;
			}
			if (k.len) {
				cJSON *val = cJSON_CreateString(sb_str(&v));
				if (cJSON_GetObjectItemCaseSensitive(o, sb_str(&k)))
					cJSON_ReplaceItemInObjectCaseSensitive(o, sb_str(&k), val);
				else
					cJSON_AddItemToObject(o, sb_str(&k), val);
			}
		}
		i = j + 1;
	}
	sb_free(&k);
	sb_free(&v);
	return o;
}

cJSON *query_flat_list(const cJSON *flat, const char *prefix, int member)
{
	cJSON *a = NULL;
	char name[512];
	for (int n = 1;; n++) {
		snprintf(name, sizeof name, "%s%s.%d", prefix, member ? ".member" : "", n);
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(flat, name);
		if (!cJSON_IsString(v))
			break;
		if (!a)
			a = cJSON_CreateArray();
		cJSON_AddItemToArray(a, cJSON_CreateString(v->valuestring));
	}
	return a;
}

cJSON *query_flat_struct_list(const cJSON *flat, const char *prefix, int member)
{
	cJSON *a = NULL;
	char head[512];
	for (int n = 1;; n++) {
		int hl = snprintf(head, sizeof head, "%s%s.%d.", prefix, member ? ".member" : "", n);
		if (hl <= 0 || (size_t)hl >= sizeof head)
			break;
		cJSON *o = NULL;
		for (const cJSON *x = flat ? flat->child : NULL; x; x = x->next) {
			if (strncmp(x->string, head, (size_t)hl) || !x->string[hl])
				continue;
			if (!o)
				o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, x->string + hl, cJSON_GetStringValue(x));
		}
		if (!o)
			break;
		if (!a)
			a = cJSON_CreateArray();
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static void xml_text(sb *out, const char *s) { sb_cat_xml(out, s, strlen(s)); }

void query_xml_value(sb *out, const char *name, const cJSON *v, int flattened)
{
	if (!v)
		return;
	if (cJSON_IsArray(v)) {
		if (!flattened)
			sb_printf(out, "<%s>", name);
		for (const cJSON *x = v->child; x; x = x->next)
			query_xml_value(out, flattened ? name : "member", x, 0);
		if (!flattened)
			sb_printf(out, "</%s>", name);
		return;
	}
	sb_printf(out, "<%s>", name);
	if (cJSON_IsObject(v)) {
		for (const cJSON *x = v->child; x; x = x->next)
			query_xml_value(out, x->string, x, 0);
	} else if (cJSON_IsString(v)) {
		xml_text(out, v->valuestring);
	} else if (cJSON_IsBool(v)) {
		sb_cat(out, cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (d == (double)(long long)d && d > -1e15 && d < 1e15)
			sb_printf(out, "%lld", (long long)d);
		else
			sb_printf(out, "%.17g", d);
	}
	sb_printf(out, "</%s>", name);
}

void query_xml_answer(mock_http_out *out, const char *xmlns, const char *op, const char *result_xml,
                      const char *request_id)
{
	out->status = 200;
	out->content_type = "text/xml";
	sb_clear(&out->body);
	sb_printf(&out->body, "<?xml version=\"1.0\"?><%sResponse xmlns=\"%s\">", op, xmlns);
	if (result_xml && *result_xml)
		sb_printf(&out->body, "<%sResult>%s</%sResult>", op, result_xml, op);
	sb_printf(&out->body, "<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></%sResponse>",
	          request_id, op);
	sb_printf(&out->headers, "x-amzn-RequestId: %s\r\n", request_id);
}

void query_xml_error_raw(mock_http_out *out, const char *xmlns, int status, const char *code,
                         const char *message, const char *request_id)
{
	out->status = status;
	out->content_type = "text/xml";
	sb_clear(&out->body);
	sb_printf(&out->body, "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"%s\"><Error><Type>%s</Type><Code>", xmlns,
	          status >= 500 ? "Receiver" : "Sender");
	xml_text(&out->body, code);
	sb_cat(&out->body, "</Code><Message>");
	xml_text(&out->body, message ? message : "");
	sb_printf(&out->body, "</Message><Detail/></Error><RequestId>%s</RequestId></ErrorResponse>", request_id);
	sb_printf(&out->headers, "x-amzn-RequestId: %s\r\n", request_id);
}

void query_xml_error(mock_http_out *out, const char *xmlns, const mock_req *rq)
{
	out->status = rq->err.status ? rq->err.status : 400;
	out->content_type = "text/xml";
	sb_clear(&out->body);
	sb_printf(&out->body, "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"%s\"><Error><Type>%s</Type><Code>", xmlns,
	          rq->err.sender ? "Sender" : "Receiver");
	xml_text(&out->body, rq->err.legacy ? rq->err.legacy : rq->err.type);
	sb_cat(&out->body, "</Code><Message>");
	xml_text(&out->body, rq->err.message ? rq->err.message : "");
	sb_printf(&out->body, "</Message><Detail/></Error><RequestId>%s</RequestId></ErrorResponse>",
	          rq->request_id);
	sb_printf(&out->headers, "x-amzn-RequestId: %s\r\n", rq->request_id);
}
