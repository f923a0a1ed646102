/* route_presenter.c: the presenter view, the notes, the shared position and the followers' view. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "cache.h"
#include "html.h"
#include "position.h"
#include "presenter.h"
#include "render.h"
#include "route.h"
#include "router.h"
#include "util.h"

#define ROUTE_JSON	"application/json"

/*
 * The position is read by every follower, twice a second each: the answer
 * may be kept for a second, by nginx's cache above all (see
 * deploy/nginx/drfslides-position.conf), which then asks drfslides about
 * once a second whatever the number of followers. nginx counts a lifetime
 * in whole seconds from the second it stores the answer in, so max-age=1
 * would keep it up to two; X-Accel-Expires names the end of the current
 * second instead, which nginx takes over Cache-Control.
 */
#define ROUTE_POSITION_CACHE	"public, max-age=1"

/* Checks a presenter request's key; fills r with the refusal when it may not go on. */
int
route_presenter_allowed(struct app *a, const struct request *req,
    struct response *r, const struct route_arg *arg)
{
	switch (presenter_check(a->presenter, req, arg->name)) {
	case PRESENTER_OK:
		return 1;
	case PRESENTER_OFF:
		response_error(a, req, r, 404, "e_no_page");
		break;
	case PRESENTER_NO_KEY:
		response_error(a, req, r, 401, "e_key_needed");
		r->www_authenticate = "Bearer";
		break;
	case PRESENTER_WRONG:
		response_error(a, req, r, 403, "e_key_wrong");
		break;
	case PRESENTER_LIMITED:
		response_error(a, req, r, 429, "e_key_limited");
		break;
	}
	return 0;
}

/* Serves a document that holds the slide alone (presenter, follower), from ?page=N. */
static void
route_stage(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg,
    void (*render)(const struct render_templates *, const struct deck *,
    size_t, enum render_links, struct buf *))
{
	struct cache_deck *cd = arg->cd;
	struct buf	 b = BUF_INIT;
	unsigned long	 n = 0;
	int		 q;

	q = request_query_page(req->query, &n);
	if (q < 0 || (q == 1 && n >= cd->deck->npages && cd->deck->npages > 0)) {
		response_error(a, req, r, 404, "e_no_page");
		return;
	}
	render(cache_tset_templates(cd->ts), cd->deck, q == 1 ? n : 0,
	    response_links(a), &b);
	response_buf(a, req, r, &b, cache_mtime(a->cache, cd));
}

/*
 * Serves the presenter view, NAME/presenter. It holds no notes, so anyone
 * may load it where there is a presenter: its script asks for the key. A
 * request that carries a key all the same gets that key checked.
 */
void
route_presenter(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	if (!presenter_on(a->presenter) || (req->authorization != NULL &&
	    !route_presenter_allowed(a, req, r, arg))) {
		if (r->status == 0)
			response_error(a, req, r, 404, "e_no_page");
		return;
	}
	route_stage(a, req, r, arg, render_presenter);
}

/* Serves a follower's view, NAME/follow; there is one only where there is a presenter. */
void
route_follow(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	if (!presenter_on(a->presenter)) {
		response_error(a, req, r, 404, "e_no_page");
		return;
	}
	route_stage(a, req, r, arg, render_follow);
}

/* Finishes a JSON answer from b; never stored anywhere. */
static void
route_json(struct response *r, struct buf *b, const char *cache_control)
{
	r->status = 200;
	r->content_type = ROUTE_JSON;
	r->cache_control = cache_control;
	r->buf = *b;
	r->body = b->data == NULL ? "" : b->data;
	r->len = b->len;
}

/* Serves the speaker notes of every page, NAME/notes: {"notes":["HTML",...]} (presenter key). */
void
route_notes(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	const struct deck	*d = arg->cd->deck;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	if (!route_presenter_allowed(a, req, r, arg))
		return;
	buf_adds(&b, "{\"notes\":[");
	for (i = 0; i < d->npages; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		html_json_string(&b, d->pages[i].notes == NULL ? "" :
		    d->pages[i].notes, d->pages[i].noteslen);
	}
	buf_adds(&b, "]}\n");
	route_json(r, &b, "private, no-store");
}

/* Writes the position answer: {"page":N,"step":S,"total":T}. */
static void
route_position_json(struct buf *b, const struct position *pos, size_t total)
{
	buf_printf(b, "{\"page\":%lu,\"step\":%lu,\"total\":%zu}\n",
	    pos->page, pos->step, total);
}

/* Reads page=N&step=S from a POST's form body; -1 if malformed or out of the deck. */
static int
route_position_form(const struct request *req, const struct deck *d,
    unsigned long *page, unsigned long *step)
{
	const char	*v;
	size_t		 len;
	int		 q;

	/* A field given twice is ambiguous: refused, not guessed. */
	if (req->body == NULL || req->body_too_long ||
	    request_query_once(req->body, "page", &v, &len) != 1 ||
	    request_page_number(v, len, page) != 0 || *page >= d->npages)
		return -1;
	*step = 0;
	if ((q = request_query_once(req->body, "step", &v, &len)) == -1 ||
	    (q == 1 && util_parse_ulong(v, len, POSITION_MAX_STEP, step) != 0))
		return -1;
	return 0;
}

/* Sets the position from POST page=N&step=S (presenter key, same origin). */
static void
route_position_set(struct app *a, const struct request *req,
    struct response *r, const struct route_arg *arg)
{
	struct position	 pos;
	struct buf	 b = BUF_INIT;
	char		*cause = NULL, *msg;

	if (!route_presenter_allowed(a, req, r, arg))
		return;
	if (!presenter_same_origin(req)) {
		response_error(a, req, r, 403, "e_position_origin");
		return;
	}
	if (route_position_form(req, arg->cd->deck, &pos.page, &pos.step) != 0) {
		response_error(a, req, r, req->body_too_long ? 413 : 400,
		    "e_position_form");
		return;
	}
	if (position_set(a->positions, arg->name, pos.page, pos.step,
	    &cause) != 0) {
		msg = xasprintf("cannot keep the position of %s: %s",
		    arg->name, cause);
		if (a->log != NULL)
			a->log(a->log_arg, msg);
		free(msg);
		free(cause);
		response_error(a, req, r, 500, "e_position_kept");
		return;
	}
	route_position_json(&b, &pos, arg->cd->deck->npages);
	route_json(r, &b, "no-store");
}

/*
 * Serves the position, NAME/position: GET reads it, cheaply and cacheably
 * (validators, a lifetime of a second); POST sets it.
 */
void
route_position(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	struct position	 pos;
	struct buf	 b = BUF_INIT;
	size_t		 npages = arg->cd->deck->npages;

	if (strcmp(req->method, "POST") == 0) {
		route_position_set(a, req, r, arg);
		return;
	}
	if (!presenter_on(a->presenter)) {
		response_error(a, req, r, 404, "e_no_page");
		return;
	}
	position_get(a->positions, arg->name, &pos);
	/* A deck that has lost pages since: its last page, where followers can go. */
	if (npages > 0 && pos.page >= npages) {
		pos.page = npages - 1;
		pos.step = 0;
	}
	route_position_json(&b, &pos, npages);
	route_json(r, &b, ROUTE_POSITION_CACHE);
	r->mtime = pos.mtime;
	/* The exact second: the coarse one of time() would, for a few
	 * milliseconds after each second's start, name a second nginx has
	 * left, and every follower's request would ask drfslides again. */
	r->accel_expires = util_now_s();
	/* The tag is the answer's: a new page, step or page count changes it. */
	snprintf(r->etag, sizeof r->etag, "\"%016llx\"", (unsigned long long)
	    util_hash(UTIL_HASH_INIT, r->body, r->len));
	if (request_fresh(req, r->etag, r->mtime))
		r->status = 304;
}
