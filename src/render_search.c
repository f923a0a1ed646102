/* render_search.c: the search page: the form and the results, through search.html. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "lang.h"
#include "render.h"
#include "search.h"
#include "tmpl.h"
#include "util.h"

/*
 * Sets one result's values: where it links (relative to the course's
 * address: a deck's name without the course's, which skip bytes are), what
 * it is, its snippet.
 */
static void
render_search_hit(struct tdict *it, const struct search_hit *h, size_t skip)
{
	struct buf	 url = BUF_INIT;

	/* Every deck found is in the course searched. */
	if (h->deck != NULL && strlen(h->deck) < skip)
		skip = 0;
	if (h->term != NULL) {
		tdict_set_bool(it, "hit_entry", 1);
		tdict_set_textn(it, "hit_term", h->term, strlen(h->term));
		if (h->deck != NULL) {
			buf_printf(&url, "%s/glossary/", h->deck + skip);
			html_url_component(&url, h->term, strlen(h->term));
			buf_adds(&url, ".html");
		}
	} else {
		buf_printf(&url, "%s/?page=%zu", h->deck + skip, h->page);
		tdict_set_textn(it, "hit_title", h->title, strlen(h->title));
		tdict_set_textn(it, "hit_deck", h->deck, strlen(h->deck));
		/* Numbered as the slide's counter numbers them, from 1. */
		tdict_set_textf(it, "hit_page", "%zu", h->page + 1);
		tdict_set_textn(it, "hit_lang", h->lang, strlen(h->lang));
		if (*h->label != '\0')
			tdict_set_textn(it, "hit_label", h->label,
			    strlen(h->label));
	}
	if (url.len > 0)
		tdict_set_textn(it, "hit_url", url.data, url.len);
	/* search.c escaped the text and added only the <mark> around the match. */
	tdict_set_html(it, "hit_snippet", h->snippet, strlen(h->snippet));
	buf_free(&url);
}

/*
 * Returns 1 if a query holds kana or kanji: the page then speaks Japanese
 * (the index takes its language from the decks; a search, from its words).
 */
static int
render_search_ja(const char *q)
{
	const unsigned char	*p;

	/* U+3040 to U+9FFF are E3 81 80 to E9 BF BF in UTF-8. */
	for (p = (const unsigned char *)q; q != NULL && *p != '\0'; p++)
		if (*p >= 0xe3 && *p <= 0xe9 && !(*p == 0xe3 && p[1] < 0x81))
			return 1;
	return 0;
}

/* Picks the search page's language: the reader's, else the query's script. */
const struct lang_table *
render_search_lang(const char *accept, const char *query)
{
	const char	*script = render_search_ja(query) ? "ja" : "en";

	/* The query's script stands where the index has its decks' languages. */
	return lang_pick(accept, &script, 1);
}

/*
 * Sets where the page is: the way up to the top (for the static files and
 * the link to the top's index), the way up to each course above the page
 * and to its own, each with its title ("crumbs"), its course's title, and
 * where the search looks (the course's folder and the scope within it).
 */
static void
render_search_place(struct tdict *t, const char *course,
    char *const *titles, size_t ntitles, const char *scope)
{
	struct tdict	*it;
	struct buf	 up = BUF_INIT, where = BUF_INIT, url = BUF_INIT;
	const char	*p;
	size_t		 i, j;

	if (*course != '\0') {
		buf_adds(&up, "../");
		for (p = course; (p = strchr(p, '/')) != NULL; p++)
			buf_adds(&up, "../");
		tdict_set_texts(t, "course", course);
		buf_printf(&where, "%s/", course);
	}
	tdict_set_list(t, "crumbs");
	for (i = 0; i < ntitles; i++) {
		it = tdict_add_item(t, "crumbs");
		/* The page is in its course's folder: "./", then "../" a level up. */
		buf_reset(&url);
		if (i + 1 == ntitles)
			buf_adds(&url, "./");
		for (j = i + 1; j < ntitles; j++)
			buf_adds(&url, "../");
		tdict_set_textn(it, "crumb_url", url.data, url.len);
		tdict_set_texts(it, "crumb_title", titles[i]);
	}
	if (ntitles > 0)
		tdict_set_texts(t, "course_title", titles[ntitles - 1]);
	/* Copied: the buffers are freed before the page is rendered. */
	tdict_set_textf(t, "up", "%s", up.len > 0 ? up.data : "./");
	tdict_set_textf(t, "static", "%sstatic/", up.len > 0 ? up.data : "");
	if (scope != NULL && *scope != '\0') {
		tdict_set_texts(t, "scope", scope);
		buf_adds(&where, scope);
	}
	if (where.len > 0)
		tdict_set_textn(t, "where", where.data, where.len);
	buf_free(&up);
	buf_free(&where);
	buf_free(&url);
}

/* Sets key to a count text of the interface (markup); more: "n+", more than n. */
static void
render_search_count(struct tdict *t, const char *key,
    const struct lang_table *ui, const char *name, size_t n, int more)
{
	char	*s, *shown = NULL;

	if (more)
		shown = xasprintf("%zu+", n);
	s = lang_count_text(ui, name, n, shown);
	tdict_take_html(t, key, s, strlen(s));
	free(shown);
}

/* Renders the search page. */
void
render_search(const struct render_templates *rt, const char *course,
    char *const *titles, size_t ntitles, const char *query,
    const char *scope, const struct search_result *res,
    const struct lang_table *ui, enum render_links links, struct buf *out)
{
	struct tdict	*t;
	size_t		 i, skip;

	if (course == NULL)
		course = "";
	skip = *course != '\0' ? strlen(course) + 1 : 0;
	t = tdict_create();
	tdict_set_texts(t, "lang", ui->tag);
	render_search_place(t, course, titles, ntitles, scope);
	if (query != NULL) {
		tdict_set_texts(t, "query", query);
		tdict_set_bool(t, "searched", 1);
		render_search_count(t, "count", ui, "n_results", res->n,
		    res->more);
		render_search_count(t, "decks", ui, "n_decks_searched",
		    res->decks, 0);
		if (res->left_out > 0)
			render_search_count(t, "left_out", ui, "n_left_out",
			    res->left_out, 0);
		tdict_set_bool(t, "has_hits", res->n > 0);
		tdict_set_list(t, "hits");
		for (i = 0; i < res->n; i++)
			render_search_hit(tdict_add_item(t, "hits"),
			    &res->v[i], skip);
	}
	render_document(rt, RENDER_SEARCH, t, ui, links, out);
}
