/* route_deck.c: the index and a deck's documents: frameset, pages, display, glossary, view, print, 2001 names. */
#include "config.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "cache.h"
#include "expand.h"
#include "render.h"
#include "route.h"
#include "request.h"
#include "router.h"
#include "search.h"
#include "util.h"

/* Serves the index of a course (the top's too), from the decks' summaries. */
void
route_index(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	response_blob(a, req, r, cache_course_index(a->cache, arg->name,
	    req->accept_language, a->public_url, a->frame_ancestors,
	    response_links(a)), ROUTER_HTML);
	/* Its interface language follows Accept-Language: so do caches. */
	r->vary = "Accept-Language";
	/* It shows every deck's title: purged with "index" when one changes. */
	memcpy(r->purge_key, "index", sizeof "index");
}

/* Serves a glossary entry, or the friendly page that says there is none. */
void
route_glossary(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	struct cache_deck *cd = arg->cd;
	const char	*file = arg->rest;
	size_t		 len = arg->restlen;
	struct buf	 b = BUF_INIT;
	struct search_use *uses;
	char		*term, *frag = NULL;
	size_t		 fraglen = 0, nuses;
	time_t		 mtime, emtime = 0;
	int		 found = 0;

	if (len <= 5 || memcmp(file + len - 5, ".html", 5) != 0 ||
	    !expand_term_valid(file, len - 5) ||
	    memchr(file, '/', len) != NULL) {
		response_error(a, req, r, 404, "e_no_entry");
		return;
	}
	term = xstrndup(file, len - 5);
	found = cache_glossary(a->cache, cd, term, &frag, &fraglen, &emtime) == 0;
	mtime = cache_mtime(a->cache, cd);
	if (found && emtime > mtime)
		mtime = emtime;
	/* Where the term is used, from the search index (built on first use). */
	route_search_update(a);
	nuses = search_uses(a->search, cd->deck->name, term, &uses);
	render_glossary_uses(cache_tset_templates(cd->ts), cd->deck, term,
	    found ? frag : NULL, fraglen, uses, nuses, response_links(a), &b);
	search_uses_free(uses, nuses);
	free(frag);
	free(term);
	response_buf(a, req, r, &b, mtime);
	if (!found) {
		r->status = 404;
		r->cache_control = "no-store";
		r->etag[0] = '\0';
		r->mtime = 0;
	}
}

/*
 * Redirects "/NAMEN.html", the 2001 static names, to NAME/?page=N when deck
 * NAME exists; in a course folder, "/COURSE/NAMEN.html" to that course's deck.
 */
void
route_oldname(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	struct cache_deck	*cd;
	const char		*s = arg->rest;
	unsigned long		 n;
	size_t			 end, i;
	char			*name, *err, *target;
	int			 st;

	end = arg->restlen - 5;
	/* The longest deck name that exists wins: "lec13.html" may be lec1 page 3. */
	for (i = end - 1; i >= 1 && s[i] >= '0' && s[i] <= '9'; i--) {
		if (util_parse_ulong(s + i, end - i, 0xffffffffUL, &n) != 0)
			continue;
		if (!deck_name_valid(s, i))
			continue;
		name = xasprintf("%s%s%.*s", arg->name, *arg->name != '\0' ?
		    "/" : "", (int)i, s);
		st = cache_get(a->cache, name, &cd, &err);
		free(err);
		if (st == CACHE_NOT_FOUND) {
			free(name);
			continue;
		}
		cache_deck_release(cd);
		target = xasprintf("/%s/?page=%lu", name, n);
		response_redirect(a, req, r, 301, target);
		free(target);
		free(name);
		return;
	}
	response_error(a, req, r, 404, "e_no_address");
}

/* Serves the frameset with its oEmbed discovery link (only with a public URL). */
static void
route_entry_oembed(struct app *a, const struct request *req,
    struct response *r, struct cache_deck *cd, size_t start)
{
	struct buf	 b = BUF_INIT;
	char		*href;

	href = route_oembed_href(a, cd->deck->name, "");
	render_entry_oembed(cache_tset_templates(cd->ts), cd->deck, start, href,
	    response_links(a), &b);
	free(href);
	response_buf(a, req, r, &b, cache_mtime(a->cache, cd));
}

/* Serves a deck's frameset, NAME/[?page=N]: the cached one, or one starting at page N. */
void
route_entry(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	struct cache_deck *cd = arg->cd;
	struct buf	 b = BUF_INIT;
	size_t		 n;

	if (response_start_page(a, req, r, cd->deck, &n) == -1)
		return;
	if (a->public_url != NULL)
		route_entry_oembed(a, req, r, cd, n);
	else if (n == 0)
		response_blob(a, req, r, cache_entry(a->cache, cd), ROUTER_HTML);
	else {
		render_entry(cache_tset_templates(cd->ts), cd->deck, n,
		    response_links(a), &b);
		response_buf(a, req, r, &b, cache_mtime(a->cache, cd));
	}
}

/*
 * Returns the title of a deck's course, as its index shows it (allocated),
 * or NULL for a deck at the top.
 */
static char *
route_deck_course(struct app *a, const char *name)
{
	const char	*slash = strrchr(name, '/');
	char		*course, *title;

	if (slash == NULL)
		return NULL;
	course = xstrndup(name, (size_t)(slash - name));
	title = cache_course_title(a->cache, course);
	free(course);
	return title;
}

/* Serves the single-document container, NAME/view[?page=N]. */
void
route_view(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	struct cache_deck *cd = arg->cd;
	struct buf	 b = BUF_INIT;
	size_t		 n;
	char		*href, *course;

	if (response_start_page(a, req, r, cd->deck, &n) == -1)
		return;
	href = route_oembed_href(a, cd->deck->name, "view");
	course = route_deck_course(a, cd->deck->name);
	render_view_follow(cache_tset_templates(cd->ts), cd->deck, n, href,
	    presenter_on(a->presenter), course, response_links(a), &b);
	free(course);
	free(href);
	response_buf(a, req, r, &b, cache_mtime(a->cache, cd));
}

/* Serves every page of a deck with its glossary entries, NAME/print. */
void
route_print(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	struct cache_deck	*cd = arg->cd;
	const struct deck	*d = cd->deck;
	struct render_gloss	*g;
	struct buf		 b = BUF_INIT;
	char			**frags, *course;
	size_t			 i, ng = 0;
	time_t			 mtime = cache_mtime(a->cache, cd), emtime;
	size_t			 len;
	int			 notes;

	if (response_whole_refused(a, req, r, cd))
		return;
	/* The handout with the speaker notes is the presenter's (the key). */
	notes = request_query(req->query, "notes", &len) != NULL;
	if (notes && !route_presenter_allowed(a, req, r, arg))
		return;
	g = xcalloc(d->nterms + 1, sizeof *g);
	frags = xcalloc(d->nterms + 1, sizeof *frags);
	for (i = 0; i < d->nterms; i++) {
		/* Terms were checked by the expander; check again, it is a path. */
		if (!expand_term_valid(d->terms[i].term,
		    strlen(d->terms[i].term)))
			continue;
		if (cache_glossary(a->cache, cd, d->terms[i].term, &frags[ng],
		    &g[ng].len, &emtime) == 0) {
			g[ng].term = d->terms[i].term;
			g[ng].html = frags[ng];
			ng++;
			if (emtime > mtime)
				mtime = emtime;
		}
	}
	course = route_deck_course(a, d->name);
	render_print(cache_tset_templates(cd->ts), d, g, ng, notes, course,
	    response_links(a), &b);
	free(course);
	for (i = 0; i < ng; i++)
		free(frags[i]);
	free(frags);
	free(g);
	response_buf(a, req, r, &b, mtime);
	if (notes) {
		r->cache_control = "private, no-store";
		r->etag[0] = '\0';
	}
}

/* Serves one page, NAME/N, rendered once and cached. */
void
route_page(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	response_blob(a, req, r, cache_page(a->cache, arg->cd, arg->page),
	    ROUTER_HTML);
}

/* Serves the display frame, NAME/display. */
void
route_display(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	response_blob(a, req, r, cache_display(a->cache, arg->cd), ROUTER_HTML);
}

/*
 * Redirects NAME/@LABEL to the frameset at the page that carries the label
 * now (302: the page may move as the deck is edited); 404 when no page
 * does. Two pages with one label: the first (check warns about it).
 */
void
route_label(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	const struct deck	*d = arg->cd->deck;
	size_t			 i;
	char			*target;

	if ((i = deck_label_page(d, arg->rest, arg->restlen)) == d->npages) {
		response_error(a, req, r, 404, "e_no_label");
		return;
	}
	target = i == 0 ? xasprintf("/%s/", d->name) :
	    xasprintf("/%s/?page=%zu", d->name, i);
	response_redirect(a, req, r, 302, target);
	free(target);
}
