/* jn_fn_datetime.c - $now $millis $fromMillis $toMillis: the clock, and date/time pictures via jn_picture.h. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "common/clock.h"
#include "engine/jsonata/jn_fn.h"
#include "engine/jsonata/jn_picture.h"

static jn_value pic_error(jn_call *c, const jn_pic_err *pe)
{
	jn_code code = JN_E_D3137;
	for (int i = 0; i < JN_E__COUNT; i++)
		if (!strcmp(jn_code_name((jn_code)i), pe->code)) {
			code = (jn_code)i;
			break;
		}
	return jn_fn_error_msg(c, code, pe->message);
}

/* The reference formats Date(ms): ms truncated toward zero, NaN fields
 * beyond the Date range; jn_pic_format_datetime_d does both. The common
 * case (ISO form, year 1-9999) takes the shorter path. */
static jn_value format_ms(jn_call *c, double ms, jn_value pic, jn_value tz)
{
	if (jn_is_undef(pic) && jn_is_undef(tz) && ms >= -62135596800000.0 && ms < 253402300800000.0) {
		char iso[CLK_ISO_LEN];
		clk_fmt_iso((int64_t)trunc(ms), iso);
		return jn_string(c->cx->a, iso);
	}
	sb out = SB_INIT;
	jn_pic_err pe;
	memset(&pe, 0, sizeof pe);
	if (jn_pic_format_datetime_d(ms, jn_is_str(pic) ? jn_str(pic) : NULL, jn_is_str(tz) ? jn_str(tz) : NULL,
	                             &out, &pe) < 0) {
		sb_free(&out);
		return pic_error(c, &pe);
	}
	return jn_sb_value(c->cx, &out);
}

jn_value jn_fn_now(jn_call *c, jn_value *args, int nargs)
{
	return format_ms(c, (double)c->cx->now_ms, JN_ARG(0), JN_ARG(1));
}

jn_value jn_fn_millis(jn_call *c, jn_value *args, int nargs)
{
	(void)args;
	(void)nargs;
	return jn_number((double)c->cx->now_ms);
}

jn_value jn_fn_fromMillis(jn_call *c, jn_value *args, int nargs)
{
	jn_value ms = JN_ARG(0);
	if (jn_is_undef(ms))
		return ms;
	return format_ms(c, jn_num(ms), JN_ARG(1), JN_ARG(2));
}

jn_value jn_fn_toMillis(jn_call *c, jn_value *args, int nargs)
{
	jn_value s = JN_ARG(0), pic = JN_ARG(1);
	if (jn_is_undef(s))
		return s;
	double ms = 0;
	jn_pic_err pe;
	memset(&pe, 0, sizeof pe);
	/* pictures without a date ("[H]:[m]") take it from the evaluation's clock */
	int rc = jn_pic_parse_datetime_at(jn_str(s), jn_is_str(pic) ? jn_str(pic) : NULL, c->cx->now_ms, &ms, &pe);
	if (rc < 0)
		return pic_error(c, &pe);
	if (rc > 0)
		return jn_undefined();
	/* NaN (e.g. "2018-13": ISO-shaped but no date) is the reference's answer too */
	return jn_number(ms);
}
