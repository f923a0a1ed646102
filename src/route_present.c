/* route_present.c: presenting a deck: the presentation and the overview of its pages. */
#include "config.h"

#include "buf.h"
#include "cache.h"
#include "render.h"
#include "route.h"
#include "router.h"

/* Serves the presentation, NAME/present[?page=N]: the slide alone on the screen. */
void
router_present(struct app *a, const struct request *req, struct response *r,
    struct cache_deck *cd)
{
	struct buf	 b = BUF_INIT;
	unsigned long	 n = 0;
	int		 q;

	q = router_query_page(req->query, &n);
	if (q < 0 || (q == 1 && n >= cd->deck->npages && cd->deck->npages > 0)) {
		router_error(a, req, r, 404, "There is no such page.");
		return;
	}
	render_present(cache_tset_templates(cd->ts), cd->deck, q == 1 ? n : 0,
	    &b);
	router_buf(a, req, r, &b, cache_mtime(a->cache, cd));
}

/* Serves the overview, NAME/overview: every page as a small slide. */
void
router_overview(struct app *a, const struct request *req, struct response *r,
    struct cache_deck *cd)
{
	struct buf	 b = BUF_INIT;

	render_overview(cache_tset_templates(cd->ts), cd->deck, &b);
	router_buf(a, req, r, &b, cache_mtime(a->cache, cd));
}
