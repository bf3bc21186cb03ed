/* jn_picture_datetime.c - $fromMillis/$toMillis pictures (placeholder until built). */
#include "engine/jsonata/jn_picture.h"

#include <stdio.h>

static int not_built(jn_pic_err *e)
{
	snprintf(e->code, sizeof e->code, "D3137");
	snprintf(e->message, sizeof e->message, "date/time pictures are not implemented yet");
	return -1;
}

int jn_pic_format_datetime(int64_t ms, const char *picture, const char *tz, sb *out, jn_pic_err *e)
{
	(void)ms, (void)picture, (void)tz, (void)out;
	return not_built(e);
}

int jn_pic_parse_datetime(const char *s, const char *picture, int64_t *ms, jn_pic_err *e)
{
	(void)s, (void)picture, (void)ms;
	return not_built(e);
}
