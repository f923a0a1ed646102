/* route_search.c: the search page, and the index kept up to date with the decks and the glossary. */
#include "config.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "expand.h"
#include "glossary.h"
#include "render.h"
#include "request.h"
#include "route.h"
#include "search.h"
#include "source.h"
#include "util.h"

/* The longest query taken, in bytes once decoded (4 per code point at most). */
#define ROUTE_SEARCH_MAX_BYTES	(4 * SEARCH_MAX_QUERY)

/* One glossary entry on disk: its name in the index (search.h), its folder, its version. */
struct route_search_entry {
	char		*name;
	char		*dir;
	const char	*term;		/* in name */
	uint64_t	 version;
};

/* The glossary entries of the top and of every course folder, by name. */
struct route_search_gls {
	struct route_search_entry *v;
	char		**names;	/* sorted, for search_keep */
	size_t		 n;
};

/* Returns the version of an entry: its file's identity. */
static uint64_t
route_search_entry_version(const char *dir, const char *term)
{
	struct stat	 st;
	char		*cause = NULL;
	uint64_t	 v[5];
	int		 fd;

	memset(v, 0, sizeof v);
	if (glossary_open(dir, term, &fd, &st, &cause) == 0) {
		close(fd);
		v[0] = (uint64_t)st.st_ino;
		v[1] = (uint64_t)st.st_size;
		v[2] = (uint64_t)st.st_mtim.tv_sec;
		v[3] = (uint64_t)st.st_mtim.tv_nsec;
		v[4] = (uint64_t)st.st_dev;
	}
	free(cause);
	return util_hash(UTIL_HASH_INIT, v, sizeof v) | 1;
}

/* Adds the entries of one course folder's glossary ("" the top's). */
static void
route_search_folder(const char *decks_dir, const char *course,
    struct route_search_gls *g)
{
	struct route_search_entry *e;
	char		**terms, *dir;
	size_t		 n, i;

	dir = *course == '\0' ? xasprintf("%s/glossary", decks_dir) :
	    xasprintf("%s/%s/glossary", decks_dir, course);
	n = glossary_list(dir, 1, &terms);
	if (n > 0)
		g->v = xreallocarray(g->v, g->n + n, sizeof *g->v);
	for (i = 0; i < n; i++) {
		e = &g->v[g->n++];
		e->name = *course == '\0' ? terms[i] : xasprintf("%s/%s",
		    course, terms[i]);
		e->term = e->name + strlen(e->name) - strlen(terms[i]);
		e->dir = xstrdup(dir);
		e->version = route_search_entry_version(dir, terms[i]);
		if (e->name != terms[i])
			free(terms[i]);
	}
	free(terms);
	free(dir);
}

/* Orders names. */
static int
route_search_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the entries of every glossary folder, each with a version. */
static void
route_search_entries(const char *decks_dir, char *const *courses,
    size_t ncourses, struct route_search_gls *g)
{
	size_t	 i;

	memset(g, 0, sizeof *g);
	route_search_folder(decks_dir, "", g);
	for (i = 0; i < ncourses; i++)
		route_search_folder(decks_dir, courses[i], g);
	g->names = xcalloc(g->n + 1, sizeof *g->names);
	for (i = 0; i < g->n; i++)
		g->names[i] = g->v[i].name;
	if (g->n > 1)
		qsort(g->names, g->n, sizeof *g->names, route_search_cmp);
}

/* Frees the list of entries. */
static void
route_search_entries_free(struct route_search_gls *g)
{
	size_t	 i;

	for (i = 0; i < g->n; i++) {
		free(g->v[i].name);
		free(g->v[i].dir);
	}
	free(g->v);
	free(g->names);
}

/* Puts the decks whose version the index does not hold. */
static void
route_search_decks(struct app *a, char **names, size_t n)
{
	struct cache_deck	*cd;
	uint64_t		 held, now;
	size_t			 i;
	char			*err;

	for (i = 0; i < n; i++) {
		/* A deck seen before is loaded only when it changed. */
		if ((held = search_deck_version(a->search, names[i])) != 0 &&
		    ((now = cache_version_id(a->cache, names[i])) == held ||
		    now == 0))
			continue;
		if (cache_get(a->cache, names[i], &cd, &err) == CACHE_OK) {
			if (cache_deck_version_id(cd) != held)
				search_put_deck(a->search, names[i],
				    cache_deck_version_id(cd), cd->deck);
			cache_deck_release(cd);
		}
		free(err);
	}
}

/*
 * Puts the glossary entries that changed; a refused one as a record
 * without text, so that it hides the entries above it from the decks
 * below its folder, as the server does.
 */
static void
route_search_glossary(struct app *a, const struct route_search_gls *g)
{
	const struct route_search_entry *e;
	struct stat	 st;
	char		*data, *cause;
	size_t		 i, len;

	for (i = 0; i < g->n; i++) {
		e = &g->v[i];
		if (search_entry_version(a->search, e->name) == e->version)
			continue;
		cause = NULL;
		switch (glossary_read(e->dir, e->term, &data, &len, &st,
		    &cause)) {
		case 0:
			search_put_entry(a->search, e->name, e->version, data,
			    len);
			free(data);
			break;
		case -1:
			search_put_entry(a->search, e->name, e->version, NULL,
			    0);
			break;
		}
		free(cause);
	}
}

/* Frees a list of names. */
static void
route_search_names_free(char **v, size_t n)
{
	while (n > 0)
		free(v[--n]);
	free(v);
}

/*
 * Brings the index up to date with the decks, in course folders too (by
 * the cache's change detection: only a deck whose file changed is read
 * again), and the glossary entries of the top and of every course folder,
 * when any changed since the last time; looked at once per stat interval.
 */
void
route_search_update(struct app *a)
{
	struct route_search_gls	 g;
	uint64_t		 token;
	char			**names, **courses;
	size_t			 n, ncourses, i;

	if (!search_check_due(a->search, util_now_ms(), a->stat_interval_ms))
		return;
	n = cache_list_tree(a->cache, &names, &courses, &ncourses);
	route_search_entries(a->decks_dir, courses, ncourses, &g);
	token = cache_watch(a->cache);
	for (i = 0; i < g.n; i++) {
		token = util_hash(token, g.v[i].name, strlen(g.v[i].name));
		token = util_hash(token, &g.v[i].version,
		    sizeof g.v[i].version);
	}
	if (search_update_begin(a->search, token)) {
		if (n > 1)
			qsort(names, n, sizeof *names, route_search_cmp);
		route_search_decks(a, names, n);
		route_search_glossary(a, &g);
		search_keep(a->search, names, n, g.names, g.n);
		search_update_end(a->search, token);
	}
	route_search_names_free(names, n);
	route_search_names_free(courses, ncourses);
	route_search_entries_free(&g);
}

/*
 * Decodes a query value: '+' is a space, %XX a byte. Returns 0, or the
 * status that refuses it: 414 when too long, 400 when not UTF-8 text.
 */
static int
route_search_param(const char *query, const char *name, struct buf *out)
{
	const char	*v;
	struct buf	 raw = BUF_INIT;
	size_t		 len, i;

	if (query == NULL || (v = request_query(query, name, &len)) == NULL)
		return 0;
	if (len > 3 * ROUTE_SEARCH_MAX_BYTES)
		return 414;
	for (i = 0; i < len; i++)
		buf_addc(&raw, v[i] == '+' ? ' ' : v[i]);
	if (raw.len > 0)
		request_decode(out, raw.data, raw.len);
	buf_free(&raw);
	if (out->len > ROUTE_SEARCH_MAX_BYTES)
		return 414;
	if (out->len > 0 && (memchr(out->data, '\0', out->len) != NULL ||
	    !source_valid_utf8(out->data, out->len, NULL)))
		return 400;
	return 0;
}

/* Returns 1 if a scope is a prefix of deck names: names and '/', no "..". */
static int
route_search_scope_valid(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_' || s[i] == '-' || s[i] == '/'))
			return 0;
	return 1;
}

/*
 * Serves search?q=WORDS[&scope=PREFIX] at the top and in every course
 * folder (COURSE/search: the decks of that folder and those below it): the
 * form, and the results of a query.
 */
void
route_search(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	struct search_result	 res;
	struct cache_tset	*ts;
	struct buf		 q = BUF_INIT, scope = BUF_INIT, b = BUF_INIT;
	struct buf		 within = BUF_INIT;
	const char		*course = arg->name != NULL ? arg->name : "";
	char			**titles;
	size_t			 qlen, ntitles;
	int			 st, has_q;

	has_q = req->query != NULL && request_query(req->query, "q",
	    &qlen) != NULL;
	if ((st = route_search_param(req->query, "q", &q)) != 0 ||
	    (st = route_search_param(req->query, "scope", &scope)) != 0 ||
	    !route_search_scope_valid(scope.data, scope.len)) {
		response_error(a, req, r, st == 414 ? 414 : 400, st == 414 ?
		    "e_search_long" : "e_search_text");
		goto done;
	}
	memset(&res, 0, sizeof res);
	/* The scope names decks from the course's folder. */
	if (*course != '\0')
		buf_printf(&within, "%s/", course);
	if (scope.len > 0)
		buf_add(&within, scope.data, scope.len);
	if (has_q && q.len > 0) {
		route_search_update(a);
		if (search_query(a->search, q.data, q.len, within.data,
		    &res) != 0) {
			response_error(a, req, r, 414, "e_search_long");
			goto done;
		}
	}
	ntitles = cache_course_titles(a->cache, course, &titles);
	ts = cache_templates(a->cache);
	render_search(cache_tset_templates(ts), course, titles, ntitles,
	    q.len > 0 ? q.data : NULL, scope.data, &res,
	    render_search_lang(req->accept_language, q.len > 0 ? q.data :
	    NULL), response_links(a), &b);
	cache_tset_release(ts);
	route_search_names_free(titles, ntitles);
	search_result_free(&res);
	/* The decks as they are now: no date, revalidated by its ETag at every use. */
	response_buf(a, req, r, &b, 0);
	r->cache_control = "no-cache";
	r->vary = "Accept-Language";
done:
	buf_free(&q);
	buf_free(&scope);
	buf_free(&within);
}
