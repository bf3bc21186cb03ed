/* fuzz_jn_picture.c - libFuzzer harness: any picture and any argument through the five picture functions.
 *
 * Input layout: byte 0 picks a number, then the rest is split at the first
 * NUL byte into the picture and the string argument (the argument doubles
 * as the timezone and as every $formatNumber option). Every call must give
 * a result, undefined or an error, and never crash, leak or hang.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "common/sb.h"
#include "engine/jsonata/jn_picture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static double pick_number(uint8_t sel, const char *arg)
{
	static const double special[] = {0, -0.0, 1, -1, 0.5, -2.5, 1e21, -1e21, 1e300, 5e-324,
		NAN, INFINITY, -INFINITY, 8.64e15, -8.64e15, 9e15, 1521801216617, -62198755200000,
		9007199254740993.0, 123456.789, 1e7, 9999999, 253402300800000};
	if (sel < sizeof special / sizeof special[0])
		return special[sel];
	return strtod(arg, NULL) * (sel & 1 ? -1 : 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *buf = mem_alloc(size + 1);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	const char *picture = buf;
	size_t plen = strlen(buf);
	const char *arg = plen + 1 < size ? buf + plen + 1 : "";
	double v = pick_number(data[0], arg);

	sb out = SB_INIT;
	jn_pic_err e;
	double d;
	int64_t ms;

	jn_pic_format_integer(v, picture, &out, &e);
	sb_clear(&out);
	jn_pic_parse_integer(arg, picture, &d, &e);

	jn_numfmt_opts o;
	memset(&o, 0, sizeof o);
	jn_pic_format_number(v, picture, NULL, &out, &e);
	sb_clear(&out);
	switch (data[0] % 12) {
	case 0: o.decimal_separator = arg; break;
	case 1: o.grouping_separator = arg; break;
	case 2: o.exponent_separator = arg; break;
	case 3: o.minus_sign = arg; break;
	case 4: o.percent = arg; break;
	case 5: o.per_mille = arg; break;
	case 6: o.zero_digit = arg; break;
	case 7: o.digit = arg; break;
	case 8: o.pattern_separator = arg; break;
	case 9: o.infinity = arg; break;
	case 10: o.nan = arg; break;
	default: o.zero_digit = arg; o.decimal_separator = arg; break;
	}
	jn_pic_format_number(v, picture, &o, &out, &e);
	sb_clear(&out);

	jn_pic_format_datetime_d(v, picture, (data[0] & 2) ? arg : NULL, &out, &e);
	sb_clear(&out);
	jn_pic_format_datetime_d(v, NULL, arg, &out, &e);
	sb_clear(&out);
	jn_pic_parse_datetime_at(arg, picture, 1521801216617, &d, &e);
	jn_pic_parse_datetime_at(arg, NULL, 0, &d, &e);
	jn_pic_parse_datetime(picture, NULL, &ms, &e);

	sb_free(&out);
	mem_free(buf);
	return 0;
}
