/* route_present.c: presenting a deck: the presentation and the overview of its pages. */
#include "config.h"

#include "buf.h"
#include "cache.h"
#include "render.h"
#include "route.h"
#include "router.h"

/* Serves the presentation, NAME/present[?page=N]: the slide alone on the screen. */
void
route_present(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	struct cache_deck *cd = arg->cd;
	struct buf	 b = BUF_INIT;
	size_t		 start;

	if (response_start_page(a, req, r, cd->deck, &start) == -1)
		return;
	render_present(cache_tset_templates(cd->ts), cd->deck, start,
	    response_links(a), &b);
	response_buf(a, req, r, &b, cache_mtime(a->cache, cd));
}

/* Serves the overview, NAME/overview: every page as a small slide. */
void
route_overview(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	struct cache_deck *cd = arg->cd;
	struct buf	 b = BUF_INIT;

	render_overview(cache_tset_templates(cd->ts), cd->deck,
	    response_links(a), &b);
	response_buf(a, req, r, &b, cache_mtime(a->cache, cd));
}
