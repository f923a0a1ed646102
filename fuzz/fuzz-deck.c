/* fuzz-deck.c: the deck reader, parser, expander and renderer on arbitrary bytes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "deck.h"
#include "fuzz.h"
#include "render.h"
#include "util.h"

static struct render_templates *fuzz_rt;

/* Loads the templates once; the harness then renders every page it parses. */
static void
fuzz_deck_init(void)
{
	const char	*dir;
	char		*cause;

	dir = getenv("DRFSLIDES_TEMPLATES");
	if (dir == NULL)
		dir = "templates";
	if (render_templates_load(&fuzz_rt, dir, &cause) != 0) {
		free(cause);
		abort();
	}
}

/* One input: a whole deck file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct deck_limits	 limits;
	struct deck		*d;
	struct buf		 b = BUF_INIT;
	char			*bytes, *cause = NULL;
	size_t			 i;

	if (fuzz_rt == NULL)
		fuzz_deck_init();
	/* Small limits keep each run fast and exercise the limit paths. */
	limits.max_source = 1 << 20;
	limits.max_expanded = 4 << 20;
	bytes = xmalloc(size + 1);
	memcpy(bytes, data, size);
	bytes[size] = '\0';
	if (deck_parse(&d, "fuzz.drf", bytes, size, &limits, &cause) != 0) {
		free(cause);
		return 0;
	}
	for (i = 0; i < d->npages && i < 64; i++) {
		render_page(fuzz_rt, d, i, RENDER_SERVED, &b);
		buf_reset(&b);
	}
	render_entry(fuzz_rt, d, 0, RENDER_EXPORT, &b);
	render_display(fuzz_rt, d, RENDER_SERVED, &b);
	buf_free(&b);
	deck_free(d);
	return 0;
}
