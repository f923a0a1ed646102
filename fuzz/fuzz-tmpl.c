/* fuzz-tmpl.c: the template engine: arbitrary templates rendered with a fixed dictionary. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "tmpl.h"

/* One input: a template's text. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tmpl	*t;
	struct tdict	*d, *item;
	struct buf	 b = BUF_INIT;
	char		*cause = NULL;
	int		 i;

	if (tmpl_parse(&t, "fuzz.html", (const char *)data, size, &cause) != 0) {
		free(cause);
		return 0;
	}
	d = tdict_create();
	tdict_set_texts(d, "title", "<b>&\"'</b>");
	tdict_set_html(d, "body", "<p>x</p>", 8);
	tdict_set_bool(d, "ja", 1);
	tdict_set_bool(d, "off", 0);
	tdict_set_list(d, "empty");
	for (i = 0; i < 3; i++) {
		item = tdict_add_item(d, "pages");
		tdict_set_textf(item, "number", "%d", i);
		tdict_set_html(item, "body", "<i>y</i>", 8);
	}
	tmpl_render(t, d, &b);
	buf_free(&b);
	tdict_free(d);
	tmpl_free(t);
	return 0;
}
