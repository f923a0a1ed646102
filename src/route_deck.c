/* route_deck.c: a deck's pages: the index, frameset, glossary, view, print and 2001 names. */
#include "config.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "cache.h"
#include "diag.h"
#include "expand.h"
#include "render.h"
#include "route.h"
#include "router.h"
#include "util.h"

/* Serves the index of every deck. */
void
router_index(struct app *a, const struct request *req, struct response *r)
{
	struct cache_deck	**cds;
	const struct deck	**decks;
	struct cache_tset	*ts;
	struct buf		 b = BUF_INIT;
	struct stat		 st;
	char			**names, *err;
	size_t			 n, i, ok = 0;
	time_t			 mtime;

	/* The listing changes with the directory, the decks and the templates. */
	mtime = cache_mtime(a->cache, NULL);
	if (stat(a->decks_dir, &st) == 0 && st.st_mtime > mtime)
		mtime = st.st_mtime;
	n = cache_list(a->cache, &names);
	cds = xcalloc(n + 1, sizeof *cds);
	decks = xcalloc(n + 1, sizeof *decks);
	for (i = 0; i < n; i++) {
		if (cache_get(a->cache, names[i], &cds[ok], &err) == CACHE_OK) {
			decks[ok] = cds[ok]->deck;
			if (cache_mtime(a->cache, cds[ok]) > mtime)
				mtime = cache_mtime(a->cache, cds[ok]);
			ok++;
		}
		free(err);
		free(names[i]);
	}
	free(names);
	ts = cache_templates(a->cache);
	render_index_at(cache_tset_templates(ts), decks, ok, a->public_url, &b);
	cache_tset_release(ts);
	for (i = 0; i < ok; i++)
		cache_deck_release(cds[i]);
	free(cds);
	free(decks);
	router_buf(a, req, r, &b, mtime);
}

/* Serves a glossary entry, or the friendly page that says there is none. */
void
router_glossary(struct app *a, const struct request *req, struct response *r,
    struct cache_deck *cd, const char *file, size_t len)
{
	struct buf	 b = BUF_INIT;
	char		*term, *frag = NULL;
	size_t		 fraglen = 0;
	time_t		 mtime, emtime = 0;
	int		 found = 0;

	if (len <= 5 || memcmp(file + len - 5, ".html", 5) != 0 ||
	    !expand_term_valid(file, len - 5) ||
	    memchr(file, '/', len) != NULL) {
		router_error(a, req, r, 404, "There is no such glossary entry.");
		return;
	}
	term = xstrndup(file, len - 5);
	found = cache_glossary(a->cache, term, &frag, &fraglen, &emtime) == 0;
	mtime = cache_mtime(a->cache, cd);
	if (found && emtime > mtime)
		mtime = emtime;
	render_glossary(cache_tset_templates(cd->ts), cd->deck, term,
	    found ? frag : NULL, fraglen, RENDER_SERVED, &b);
	free(frag);
	free(term);
	router_buf(a, req, r, &b, mtime);
	if (!found) {
		r->status = 404;
		r->cache_control = "no-store";
		r->etag[0] = '\0';
		r->mtime = 0;
	}
}

/* Tries "/NAMEN.html", the 2001 static names; returns 1 if it redirected. */
int
router_compat(struct app *a, const struct request *req, struct response *r,
    const char *s, size_t len)
{
	struct cache_deck	*cd;
	unsigned long		 n;
	size_t			 end, i;
	char			*name, *err, *target;
	int			 st;

	if (len <= 5 || memcmp(s + len - 5, ".html", 5) != 0)
		return 0;
	end = len - 5;
	/* The longest deck name that exists wins: "lec13.html" may be lec1 page 3. */
	for (i = end - 1; i >= 1 && s[i] >= '0' && s[i] <= '9'; i--) {
		if (util_parse_ulong(s + i, end - i, 0xffffffffUL, &n) != 0)
			continue;
		if (!deck_name_valid(s, i))
			continue;
		name = xstrndup(s, i);
		st = cache_get(a->cache, name, &cd, &err);
		free(err);
		if (st == CACHE_NOT_FOUND) {
			free(name);
			continue;
		}
		cache_deck_release(cd);
		target = xasprintf("/%s/?page=%lu", name, n);
		router_redirect(a, req, r, target);
		free(target);
		free(name);
		return 1;
	}
	return 0;
}

/* Lists a deck's diagnostics, one per line, for the dev server's banner. */
char *
router_dev_notes(const struct deck *d)
{
	struct buf	 b = BUF_INIT;
	char		*s;
	size_t		 i;

	for (i = 0; i < d->diags.n; i++) {
		s = diag_format(d->file, &d->diags.v[i]);
		buf_printf(&b, "%s\n", s);
		free(s);
	}
	return buf_detach(&b, NULL);
}

/* Serves the frameset with its oEmbed discovery link (only with a public URL). */
static void
router_entry_oembed(struct app *a, const struct request *req,
    struct response *r, struct cache_deck *cd, size_t start)
{
	struct buf	 b = BUF_INIT;
	char		*href;

	href = router_oembed_href(a, cd->deck->name, "");
	render_entry_oembed(cache_tset_templates(cd->ts), cd->deck, start, href,
	    RENDER_SERVED, &b);
	free(href);
	router_buf(a, req, r, &b, cache_mtime(a->cache, cd));
}

/* Serves a deck's frameset, NAME/[?page=N]: the cached one, or one starting at page N. */
void
router_entry(struct app *a, const struct request *req, struct response *r,
    struct cache_deck *cd)
{
	struct buf	 b = BUF_INIT;
	unsigned long	 n;
	int		 q;

	q = router_query_page(req->query, &n);
	if (q < 0 || (q == 1 && n >= cd->deck->npages &&
	    cd->deck->npages > 0)) {
		router_error(a, req, r, 404, "There is no such page.");
		return;
	}
	if (a->public_url != NULL)
		router_entry_oembed(a, req, r, cd, q == 1 ? n : 0);
	else if (q == 0 || n == 0)
		router_blob(a, req, r, cache_entry(a->cache, cd), ROUTER_HTML);
	else {
		render_entry(cache_tset_templates(cd->ts), cd->deck, n,
		    RENDER_SERVED, &b);
		router_buf(a, req, r, &b, cache_mtime(a->cache, cd));
	}
}

/* Serves the single-document container, NAME/view[?page=N]. */
void
router_view(struct app *a, const struct request *req, struct response *r,
    struct cache_deck *cd)
{
	struct buf	 b = BUF_INIT;
	unsigned long	 n = 0;
	char		*href;
	int		 q;

	q = router_query_page(req->query, &n);
	if (q < 0 || (q == 1 && n >= cd->deck->npages && cd->deck->npages > 0)) {
		router_error(a, req, r, 404, "There is no such page.");
		return;
	}
	href = router_oembed_href(a, cd->deck->name, "view");
	render_view(cache_tset_templates(cd->ts), cd->deck, q == 1 ? n : 0,
	    href, &b);
	free(href);
	router_buf(a, req, r, &b, cache_mtime(a->cache, cd));
}

/* Serves every page of a deck with its glossary entries, NAME/print. */
void
router_print(struct app *a, const struct request *req, struct response *r,
    struct cache_deck *cd)
{
	const struct deck	*d = cd->deck;
	struct render_gloss	*g;
	struct buf		 b = BUF_INIT;
	char			**frags;
	size_t			 i, ng = 0;
	time_t			 mtime = cache_mtime(a->cache, cd), emtime;

	g = xcalloc(d->nterms + 1, sizeof *g);
	frags = xcalloc(d->nterms + 1, sizeof *frags);
	for (i = 0; i < d->nterms; i++) {
		/* Terms were checked by the expander; check again, it is a path. */
		if (!expand_term_valid(d->terms[i].term,
		    strlen(d->terms[i].term)))
			continue;
		if (cache_glossary(a->cache, d->terms[i].term, &frags[ng],
		    &g[ng].len, &emtime) == 0) {
			g[ng].term = d->terms[i].term;
			g[ng].html = frags[ng];
			ng++;
			if (emtime > mtime)
				mtime = emtime;
		}
	}
	render_print(cache_tset_templates(cd->ts), d, g, ng, RENDER_SERVED,
	    &b);
	for (i = 0; i < ng; i++)
		free(frags[i]);
	free(frags);
	free(g);
	router_buf(a, req, r, &b, mtime);
}
