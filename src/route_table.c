/* route_table.c: the route table, the only place that spells the routes' names, and its lookups. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "asset.h"
#include "deck.h"
#include "route.h"
#include "router.h"

/*
 * Every route, site routes first. A deck route is tried in order, so the
 * asset shape, which takes any valid path, comes last. A new route is one
 * line here and its handler.
 */
static const struct route route_table[] = {
	{ ROUTE_SITE, ROUTE_PREFIX, "static/", ROUTE_READ, 0, "static",
	    route_static },
	{ ROUTE_SITE, ROUTE_PREFIX, "vendor/", ROUTE_READ, 0, "vendor",
	    route_vendor },
	{ ROUTE_SITE, ROUTE_FIXED, "oembed", ROUTE_READ, 0, NULL, route_oembed },
	{ ROUTE_SITE, ROUTE_FIXED, "_drfslides/live", ROUTE_GET, ROUTE_DEV, NULL,
	    dev_live },
	{ ROUTE_SITE, ROUTE_FIXED, "_drfslides/health", ROUTE_READ, 0, NULL,
	    route_health },
	{ ROUTE_COURSE, ROUTE_FIXED, "", ROUTE_READ, 0, NULL, route_index },
	{ ROUTE_COURSE, ROUTE_FIXED, "search", ROUTE_READ, 0, NULL,
	    route_search },
	{ ROUTE_COURSE, ROUTE_OLDNAME, ".html", ROUTE_READ, 0, NULL,
	    route_oldname },
	{ ROUTE_DECK, ROUTE_FIXED, "", ROUTE_READ, 0, "index.html", route_entry },
	{ ROUTE_DECK, ROUTE_FIXED, "view", ROUTE_READ, 0, "view.html",
	    route_view },
	{ ROUTE_DECK, ROUTE_FIXED, "print", ROUTE_READ, 0, "print.html",
	    route_print },
	{ ROUTE_DECK, ROUTE_FIXED, "display", ROUTE_READ, 0, "display.html",
	    route_display },
	{ ROUTE_DECK, ROUTE_FIXED, "present", ROUTE_READ, 0, NULL,
	    route_present },
	{ ROUTE_DECK, ROUTE_FIXED, "overview", ROUTE_READ, 0, "overview.html",
	    route_overview },
	{ ROUTE_DECK, ROUTE_FIXED, "presenter", ROUTE_READ, 0, NULL,
	    route_presenter },
	{ ROUTE_DECK, ROUTE_FIXED, "follow", ROUTE_READ, 0, NULL,
	    route_follow },
	{ ROUTE_DECK, ROUTE_FIXED, "notes", ROUTE_READ, 0, NULL, route_notes },
	{ ROUTE_DECK, ROUTE_FIXED, "position", ROUTE_READ | ROUTE_POST,
	    ROUTE_HELD, NULL, route_position },
	{ ROUTE_DECK, ROUTE_PREFIX, "glossary/", ROUTE_READ, 0, "glossary",
	    route_glossary },
	{ ROUTE_DECK, ROUTE_PREFIX, "@", ROUTE_READ, 0, NULL, route_label },
	{ ROUTE_DECK, ROUTE_PAGE, NULL, ROUTE_READ, 0, NULL, route_page },
	{ ROUTE_DECK, ROUTE_ASSET, NULL, ROUTE_READ, 0, NULL, route_asset },
};
#define ROUTE_TABLE_N	(sizeof route_table / sizeof route_table[0])

/* Returns 1 if s is one or more decimal digits. */
static int
route_table_digits(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		;
	return len > 0 && i == len;
}

/*
 * Matches one entry's fixed, prefix or old-name shape; fills the rest of
 * the path. The page and asset shapes are matched by their callers.
 */
static int
route_table_name(const struct route *r, const char *p, size_t len,
    struct route_arg *arg)
{
	size_t	 n = strlen(r->name);

	switch (r->shape) {
	case ROUTE_FIXED:
		if (len != n || memcmp(p, r->name, n) != 0)
			return 0;
		break;
	case ROUTE_PREFIX:
		if (len <= n || memcmp(p, r->name, n) != 0)
			return 0;
		break;
	case ROUTE_OLDNAME:
		/* A last segment NAMEN.html: no '/', the suffix after digits. */
		if (len <= n || memchr(p, '/', len) != NULL ||
		    memcmp(p + len - n, r->name, n) != 0 ||
		    p[len - n - 1] < '0' || p[len - n - 1] > '9')
			return 0;
		arg->rest = p;
		arg->restlen = len;
		return 1;
	default:
		return 0;
	}
	arg->rest = p + n;
	arg->restlen = len - n;
	return 1;
}

/* Finds the route of a path in a scope, site or course; NULL if none. */
static const struct route *
route_table_scope(enum route_scope scope, const char *p, size_t len, int dev,
    struct route_arg *arg)
{
	size_t	 i;

	for (i = 0; i < ROUTE_TABLE_N; i++) {
		if (route_table[i].scope != scope ||
		    ((route_table[i].flags & ROUTE_DEV) && !dev))
			continue;
		if (route_table_name(&route_table[i], p, len, arg))
			return &route_table[i];
	}
	return NULL;
}

/* Finds the route of a site path (after its '/'); NULL if none. */
const struct route *
route_table_site(const char *p, size_t len, int dev, struct route_arg *arg)
{
	return route_table_scope(ROUTE_SITE, p, len, dev, arg);
}

/* Finds the route of a path below a course; NULL if none. */
const struct route *
route_table_course(const char *p, size_t len, struct route_arg *arg)
{
	return route_table_scope(ROUTE_COURSE, p, len, 0, arg);
}

/* Returns 1 if a last path part is the name of a fixed course route ("search"). */
static int
route_table_course_name(const char *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < ROUTE_TABLE_N; i++)
		if (route_table[i].scope == ROUTE_COURSE &&
		    route_table[i].shape == ROUTE_FIXED &&
		    *route_table[i].name != '\0' &&
		    strlen(route_table[i].name) == len &&
		    memcmp(route_table[i].name, p, len) == 0)
			return 1;
	return 0;
}

/*
 * Walks a path's parts from the top while they are course folders: the
 * first part the probe takes for a deck, or for nothing, ends the walk,
 * and so does a part that is not a name, or one too deep for a course. A
 * last part that is nothing but the name of a course route ("search")
 * belongs to the course before it.
 */
void
route_table_place(const char *p, size_t len, route_probe_fn *probe,
    void *arg, struct route_place *pl)
{
	char		 name[DECK_PATH_MAX + 1];
	const char	*seg, *slash;
	size_t		 off = 0, seglen, depth = 0;

	memset(pl, 0, sizeof *pl);
	pl->kind = ROUTE_PLACE_COURSE;
	pl->slash = 1;
	pl->rest = p;
	pl->restlen = len;
	for (;;) {
		seg = p + off;
		slash = memchr(seg, '/', len - off);
		seglen = slash != NULL ? (size_t)(slash - seg) : len - off;
		if (depth > DECK_DEPTH_MAX || !deck_name_valid(seg, seglen))
			return;
		memcpy(name, p, off + seglen);	/* bounded: each part is a name */
		name[off + seglen] = '\0';
		pl->kind = probe(arg, name);
		if (pl->kind == ROUTE_PLACE_COURSE && (depth == DECK_DEPTH_MAX ||
		    !deck_course_name_valid(seg, seglen)))
			pl->kind = ROUTE_PLACE_NOTHING;
		if (pl->kind == ROUTE_PLACE_NOTHING && slash == NULL &&
		    route_table_course_name(seg, seglen)) {
			/* A course route's name, no deck's: the course so far answers. */
			pl->kind = ROUTE_PLACE_COURSE;
			pl->namelen = off > 0 ? off - 1 : 0;
			pl->slash = 1;
			pl->rest = seg;
			pl->restlen = seglen;
			return;
		}
		pl->namelen = off + seglen;
		pl->slash = slash != NULL;
		pl->rest = slash != NULL ? slash + 1 : p + len;
		pl->restlen = (size_t)(p + len - pl->rest);
		if (pl->kind != ROUTE_PLACE_COURSE || slash == NULL)
			return;
		off = pl->namelen + 1;
		depth++;
	}
}

/* Asks the cache whether a name is a deck, keeping the deck found, or a course folder. */
static enum route_place_kind
route_table_probe(void *arg, const char *name)
{
	struct route_found	*f = arg;
	struct app		*a = f->app;

	f->status = cache_get_failure(a->cache, name, &f->cd, &f->err,
	    a->dev ? &f->failure : NULL);
	if (f->status != CACHE_NOT_FOUND)
		return ROUTE_PLACE_DECK;
	return cache_course(a->cache, name) ? ROUTE_PLACE_COURSE :
	    ROUTE_PLACE_NOTHING;
}

/*
 * Asks the cache whether a name is a deck it holds a version of, without a
 * stat or a parse (cache_peek); a name not held may be a course folder.
 */
static enum route_place_kind
route_table_probe_held(void *arg, const char *name)
{
	struct route_found	*f = arg;

	if ((f->cd = cache_peek(f->app->cache, name)) == NULL)
		return ROUTE_PLACE_COURSE;
	f->status = CACHE_OK;
	return ROUTE_PLACE_DECK;
}

/* Finds the deck or course a path names, against the app's decks or only those held. */
void
route_table_find(struct app *a, const char *p, size_t len, int held,
    struct route_found *f)
{
	memset(f, 0, sizeof *f);
	f->app = a;
	f->status = CACHE_NOT_FOUND;
	route_table_place(p, len, held ? route_table_probe_held :
	    route_table_probe, f, &f->place);
	memcpy(f->name, p, f->place.namelen);
	f->name[f->place.namelen] = '\0';
}

/* Frees what route_table_find holds. */
void
route_found_free(struct route_found *f)
{
	cache_deck_release(f->cd);
	free(f->err);
	deck_error_free(&f->failure);
	memset(f, 0, sizeof *f);
}

/* Finds the route of a path below a deck (after "NAME/"); NULL if none. */
const struct route *
route_table_deck(const struct deck *d, const char *p, size_t len,
    struct route_arg *arg)
{
	const struct route	*r;
	size_t			 i;

	for (i = 0; i < ROUTE_TABLE_N; i++) {
		r = &route_table[i];
		if (r->scope != ROUTE_DECK)
			continue;
		arg->rest = p;
		arg->restlen = len;
		if (r->shape == ROUTE_PAGE) {
			if (route_table_digits(p, len)) {
				/* Every number is the page route's; past the end is 404. */
				if (request_page_number(p, len, &arg->page) != 0 ||
				    d == NULL || arg->page >= d->npages)
					return NULL;
				return r;
			}
		} else if (r->shape == ROUTE_ASSET) {
			if (asset_path_valid(p, len))
				return r;
		} else if (route_table_name(r, p, len, arg))
			return r;
	}
	return NULL;
}

/* Returns the methods of every route, for a quick 405. */
unsigned
route_table_methods(void)
{
	unsigned	 m = 0;
	size_t		 i;

	for (i = 0; i < ROUTE_TABLE_N; i++)
		m |= route_table[i].methods;
	return m;
}

/* Writes a set of methods as an Allow value. */
const char *
route_table_allow(unsigned m)
{
	switch (m) {
	case ROUTE_GET: return "GET";
	case ROUTE_READ: return "GET, HEAD";
	case ROUTE_READ | ROUTE_POST: return "GET, HEAD, POST";
	case ROUTE_POST: return "POST";
	default: return "GET, HEAD";
	}
}

/* Returns 1 if a path relative to a deck's folder names one of its pages, not an asset. */
int
route_table_is_page(const char *p, size_t len)
{
	struct route_arg	 arg;
	const struct route	*r;
	size_t			 i;

	if (route_table_digits(p, len))
		return 1;
	for (i = 0; i < ROUTE_TABLE_N; i++) {
		r = &route_table[i];
		if (r->scope != ROUTE_DECK || r->shape == ROUTE_PAGE ||
		    r->shape == ROUTE_ASSET || *r->name == '\0')
			continue;
		/* "glossary/" itself is the folder of the prefix, not an asset. */
		if (route_table_name(r, p, len, &arg) ||
		    (r->shape == ROUTE_PREFIX && len == strlen(r->name) &&
		    memcmp(p, r->name, len) == 0))
			return 1;
	}
	return 0;
}

/* Returns 1 if an asset path would replace a file or folder that export writes itself. */
int
route_table_exported(const char *p)
{
	size_t	 i, n;

	for (i = 0; i < ROUTE_TABLE_N; i++) {
		if (route_table[i].export_name == NULL)
			continue;
		n = strlen(route_table[i].export_name);
		if (strncmp(p, route_table[i].export_name, n) == 0 &&
		    (p[n] == '\0' || p[n] == '/'))
			return 1;
	}
	return 0;
}
