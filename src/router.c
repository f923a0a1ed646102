/* router.c: the application's lifetime, and the dispatcher that sends a request through the route table. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cache.h"
#include "deck.h"
#include "lang.h"
#include "request.h"
#include "route.h"
#include "router.h"
#include "util.h"

/* Creates the cache and keeps the settings every response needs. */
int
app_create(struct app **out, const struct app_config *cfg, char **cause)
{
	struct cache_config	 cc;
	struct app		*a;
	DIR			*dir;
	size_t			 n;

	memset(&cc, 0, sizeof cc);
	cc.decks_dir = cfg->decks_dir;
	cc.templates_dir = cfg->templates_dir;
	cc.max_bytes = cfg->cache_bytes;
	cc.state_dir = cfg->state_dir;
	cc.stat_interval_ms = cfg->stat_interval_ms;
	cc.limits = cfg->limits;
	cc.log = cfg->log;
	cc.log_arg = cfg->log_arg;
	cc.is_page = route_table_is_page;
	cc.links = cfg->dev ? RENDER_DEV : RENDER_SERVED;
	if (cfg->public_url != NULL && *cfg->public_url != '\0' &&
	    !route_oembed_public_url_valid(cfg->public_url)) {
		*cause = xasprintf("--public-url: '%s' is not an http or https "
		    "URL of letters, digits, '.', '-', an optional port and a "
		    "path", cfg->public_url);
		return -1;
	}
	/* A folder that is not there serves nothing: better said at once. */
	if ((dir = opendir(cfg->decks_dir)) == NULL) {
		*cause = xasprintf("--decks: %s: %s", cfg->decks_dir,
		    strerror(errno));
		return -1;
	}
	closedir(dir);
	a = xcalloc(1, sizeof *a);
	if (cache_create(&a->cache, &cc, cause) != 0) {
		free(a);
		return -1;
	}
	/*
	 * The static directory is the administrator's and may be a symbolic
	 * link (a packaged layout); resolve it once, since files are opened
	 * below it without following links, like a deck's assets.
	 */
	if ((a->static_dir = realpath(cfg->static_dir, NULL)) == NULL)
		a->static_dir = xstrdup(cfg->static_dir);
	a->decks_dir = xstrdup(cfg->decks_dir);
	a->templates_dir = xstrdup(cfg->templates_dir);
	a->csp = xasprintf("frame-ancestors %s", cfg->frame_ancestors);
	a->frame_ancestors = xstrdup(cfg->frame_ancestors);
	a->cache_control = xstrdup(cfg->cache_control);
	if (cfg->public_url != NULL && *cfg->public_url != '\0') {
		a->public_url = xstrdup(cfg->public_url);
		n = strlen(a->public_url);
		while (n > 0 && a->public_url[n - 1] == '/')
			a->public_url[--n] = '\0';
	}
	a->dev = cfg->dev;
	/* The index's texts take at most half of this, their n-gram lists less. */
	a->search = search_create(cfg->cache_bytes);
	a->stat_interval_ms = cfg->stat_interval_ms;
	a->limits = cfg->limits;
	a->log = cfg->log;
	a->log_arg = cfg->log_arg;
	if (presenter_create(&a->presenter, cfg->presenter_key_file,
	    cfg->presenter_open, cfg->log, cfg->log_arg, cause) != 0 ||
	    position_store_create(&a->positions, cfg->state_dir, cause) != 0) {
		app_free(a);
		return -1;
	}
	*out = a;
	return 0;
}

/* Frees the application. */
void
app_free(struct app *a)
{
	if (a == NULL)
		return;
	cache_free(a->cache);
	search_free(a->search);
	free(a->static_dir);
	free(a->decks_dir);
	free(a->templates_dir);
	free(a->csp);
	free(a->frame_ancestors);
	free(a->cache_control);
	free(a->public_url);
	presenter_free(a->presenter);
	position_store_free(a->positions);
	free(a);
}

/* Returns the application's cache. */
struct cache *
app_cache(struct app *a)
{
	return a->cache;
}

/* Returns the bit of a method name, or 0 for a method no route takes. */
static unsigned
router_method(const char *m)
{
	if (strcmp(m, "GET") == 0)
		return ROUTE_GET;
	if (strcmp(m, "HEAD") == 0)
		return ROUTE_HEAD;
	if (strcmp(m, "POST") == 0)
		return ROUTE_POST;
	return 0;
}

/* Calls a route's handler if it takes the request's method, or answers 405. */
static void
router_call(struct app *a, const struct request *req, struct response *r,
    const struct route *rt, const struct route_arg *arg)
{
	if ((router_method(req->method) & rt->methods) == 0) {
		response_error(a, req, r, 405, rt->methods == ROUTE_READ ?
		    "e_read_only" :
		    "e_method");
		r->allow = route_table_allow(rt->methods);
		return;
	}
	rt->fn(a, req, r, arg);
}

/* Writes a deck's purge key, "deck-NAME", its course folders' '/' as '+' (a header token). */
static void
router_purge_key(struct response *r, const char *name)
{
	/* No allocation per request: a deck path fits (router.h). */
	memcpy(r->purge_key, "deck-", 5);
	memcpy(r->purge_key + 5, name, strlen(name) + 1);
	deck_flatten(r->purge_key + 5);
}

/* Notes the language of the deck a request is for, when it is loaded: its error pages' fallback. */
static void
router_deck_lang(struct response *r, const struct cache_deck *cd)
{
	if (cd != NULL && cd->deck != NULL && cd->deck->lang != NULL)
		r->deck_lang = lang_for(cd->deck->lang)->tag;
}

/* Dispatches below a deck found: "NAME/REST". */
static void
router_deck(struct app *a, const struct request *req, struct response *r,
    struct route_found *f)
{
	struct route_arg	 arg;
	const struct route	*rt;
	char			*msg;

	switch (f->status) {
	case CACHE_NOT_FOUND:
		break;
	case CACHE_BROKEN:
		if (!a->dev) {
			response_error(a, req, r, 500, "e_deck_broken");
			return;
		}
		/* FALLTHROUGH */
	case CACHE_OK:
		/* The author, not the last good version, is what the dev server shows. */
		if (a->dev && f->err != NULL) {
			dev_error(a, req, r, f->err, &f->failure);
			return;
		}
		break;
	}
	/* Every answer about this deck is purged with it, and speaks its language. */
	router_purge_key(r, f->name);
	router_deck_lang(r, f->cd);
	if (!f->place.slash) {
		msg = xasprintf("/%s/", f->name);
		response_redirect(a, req, r, 301, msg);
		free(msg);
		return;
	}
	memset(&arg, 0, sizeof arg);
	arg.cd = f->cd;
	arg.name = f->name;
	rt = route_table_deck(f->cd->deck, f->place.rest, f->place.restlen,
	    &arg);
	if (rt == NULL)
		response_error(a, req, r, 404, "e_no_page");
	else
		router_call(a, req, r, rt, &arg);
}

/*
 * Answers a route that is answered from the version held (ROUTE_HELD: the
 * position, polled by every follower) without a stat or a parse: its name
 * is the path's last part, the deck held all before it. Returns 0 when
 * the path names no such route or no version is held (then the path is
 * looked up as any other).
 */
static int
router_held(struct app *a, const struct request *req, struct response *r,
    const char *p, size_t len)
{
	struct route_found	 f;
	struct route_arg	 arg;
	const struct route	*rt;
	const char		*last;
	int			 held;

	/* Only a path that ends in a held route's name is worth the walk. */
	if ((last = memrchr(p, '/', len)) == NULL)
		return 0;
	last++;
	memset(&arg, 0, sizeof arg);
	if ((rt = route_table_deck(NULL, last, (size_t)(p + len - last),
	    &arg)) == NULL || !(rt->flags & ROUTE_HELD))
		return 0;
	route_table_find(a, p, len, 1, &f);
	/* A deck held further up owns what follows it, as when decks are loaded. */
	if ((held = f.place.kind == ROUTE_PLACE_DECK && f.place.rest == last))
		router_deck(a, req, r, &f);
	route_found_free(&f);
	return held;
}

/*
 * Finds the course or deck a path names and dispatches below it: the top
 * and its course folders have their own routes (the index, the 2001 page
 * names), a deck its documents.
 */
static void
router_place(struct app *a, const struct request *req, struct response *r,
    const char *p, size_t len)
{
	struct route_found	 f;
	struct route_arg	 arg;
	const struct route	*rt;
	char			*msg;

	if (router_held(a, req, r, p, len))
		return;
	route_table_find(a, p, len, 0, &f);
	memset(&arg, 0, sizeof arg);
	arg.name = f.name;
	if (f.place.kind == ROUTE_PLACE_DECK)
		router_deck(a, req, r, &f);
	else if (f.place.kind == ROUTE_PLACE_NOTHING) {
		response_error_detail(a, req, r, 404, "e_no_deck", f.name);
	} else if (!f.place.slash) {
		/* A course's index is its folder: relative links need the '/'. */
		msg = xasprintf("/%s/", f.name);
		response_redirect(a, req, r, 301, msg);
		free(msg);
	} else if ((rt = route_table_course(f.place.rest, f.place.restlen,
	    &arg)) != NULL)
		router_call(a, req, r, rt, &arg);
	else
		response_error(a, req, r, 404, "e_no_address");
	route_found_free(&f);
}

/* Dispatches one request: general checks, then the site's routes, then a deck's. */
void
router_handle(struct app *a, const struct request *req, struct response *r)
{
	struct route_arg	 arg;
	const struct route	*rt;
	const char		*p = req->path;
	size_t			 len = req->pathlen;

	memset(r, 0, sizeof *r);
	memset(&arg, 0, sizeof arg);
	if (req->urilen > REQUEST_MAX_URI)
		response_error(a, req, r, 414, "e_too_long");
	else if ((router_method(req->method) & route_table_methods()) == 0) {
		/* Every route takes GET and HEAD; POST only a few (their own 405 says so). */
		response_error(a, req, r, 405, "e_read_only");
		r->allow = route_table_allow(ROUTE_READ);
	} else if (len == 0 && *request_base(req) != '\0') {
		/* The mount point itself: relative links need its trailing slash. */
		response_redirect(a, req, r, 301, "/");
	} else if (len == 0)
		router_place(a, req, r, "", 0);
	else if (!request_path_safe(p, len))
		response_error(a, req, r, 400, "e_bad_address");
	else if ((rt = route_table_site(p + 1, len - 1, a->dev, &arg)) != NULL)
		router_call(a, req, r, rt, &arg);
	else
		router_place(a, req, r, p + 1, len - 1);
	/* A 304 keeps the length of the 200 it stands for, for Content-Length. */
	r->send_body = strcmp(req->method, "HEAD") != 0 && r->status != 304;
}

/* Answers with an error page a request the front end refused before routing it. */
void
router_refuse(struct app *a, const struct request *req, struct response *r,
    int status, const char *message)
{
	memset(r, 0, sizeof *r);
	response_error(a, req, r, status, message);
	r->send_body = strcmp(req->method, "HEAD") != 0;
}
