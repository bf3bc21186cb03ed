/* jn_picture_number.c - $formatNumber/$formatInteger/$parseInteger pictures (placeholder until built). */
#include "engine/jsonata/jn_picture.h"

#include <stdio.h>

static int not_built(jn_pic_err *e)
{
	snprintf(e->code, sizeof e->code, "D3080");
	snprintf(e->message, sizeof e->message, "number pictures are not implemented yet");
	return -1;
}

int jn_pic_format_number(double v, const char *picture, const jn_numfmt_opts *opts, sb *out, jn_pic_err *e)
{
	(void)v, (void)picture, (void)opts, (void)out;
	return not_built(e);
}

int jn_pic_format_integer(double v, const char *picture, sb *out, jn_pic_err *e)
{
	(void)v, (void)picture, (void)out;
	return not_built(e);
}

int jn_pic_parse_integer(const char *s, const char *picture, double *v, jn_pic_err *e)
{
	(void)s, (void)picture, (void)v;
	return not_built(e);
}
