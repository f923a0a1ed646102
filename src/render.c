/* render.c: fills the templates with a deck's pages, frames and glossary. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "deck.h"
#include "diag.h"
#include "html.h"
#include "lang.h"
#include "render.h"
#include "search.h"
#include "summary.h"
#include "tmpl.h"
#include "typeset.h"
#include "util.h"
#include "vendor.h"

struct render_templates {
	struct tmpl	*t[RENDER_NDOCS];
	/* The interface texts of each language (lang_at()), as {{s_NAME}}. */
	struct tdict	**strings;
};

static const char *const render_files[RENDER_NDOCS] = {
	"page.html", "entry.html", "display.html", "glossary.html",
	"index.html", "error.html", "view.html", "print.html", "dev.html",
	"present.html", "overview.html", "typeset.html", "presenter.html",
	"follow.html", "search.html"
};

/* Names the template file of a document. */
const char *
render_template_file(enum render_doc doc)
{
	return render_files[doc];
}

/* Frees a template set; accepts NULL. */
void
render_templates_free(struct render_templates *rt)
{
	int	 i;

	if (rt == NULL)
		return;
	for (i = 0; i < RENDER_NDOCS; i++)
		tmpl_free(rt->t[i]);
	for (i = 0; rt->strings != NULL && (size_t)i < lang_count(); i++)
		tdict_free(rt->strings[i]);
	free(rt->strings);
	free(rt);
}

/*
 * Makes the dictionary of one language's interface texts, names prefixed
 * "s_": every name of the English table, in English where lt lacks it.
 */
static struct tdict *
render_strings_dict(const struct lang_table *lt)
{
	struct tdict	*t;
	struct buf	 key = BUF_INIT;
	const char	*text;
	size_t		 i;

	t = tdict_create();
	for (i = 0; i < lang_en.n; i++) {
		buf_reset(&key);
		buf_printf(&key, "s_%s", lang_en.v[i].name);
		buf_addc(&key, '\0');
		text = lang_text(lt, lang_en.v[i].name);
		tdict_set_html(t, key.data, text, strlen(text));
	}
	buf_free(&key);
	return t;
}

/* Lends t the interface texts of a language. */
static void
render_set_strings(const struct render_templates *rt, struct tdict *t,
    const struct lang_table *lt)
{
	size_t	 i;

	for (i = 0; i < lang_count(); i++)
		if (lang_at(i) == lt)
			break;
	tdict_set_outer(t, rt->strings[i < lang_count() ? i : 0]);
}

/* Loads all templates or none. */
int
render_templates_load(struct render_templates **out, const char *dir,
    char **cause)
{
	struct render_templates	*rt;
	char			*path;
	int			 i, rc;

	rt = xcalloc(1, sizeof *rt);
	rt->strings = xcalloc(lang_count(), sizeof *rt->strings);
	for (i = 0; (size_t)i < lang_count(); i++)
		rt->strings[i] = render_strings_dict(lang_at(i));
	for (i = 0; i < RENDER_NDOCS; i++) {
		path = xasprintf("%s/%s", dir, render_files[i]);
		rc = tmpl_load(&rt->t[i], path, cause);
		free(path);
		if (rc != 0) {
			render_templates_free(rt);
			*out = NULL;
			return -1;
		}
	}
	*out = rt;
	return 0;
}

/* Sets key to the decimal digits of n, without a call to printf. */
static void
render_set_number(struct tdict *t, const char *key, size_t n)
{
	char	 digits[3 * sizeof n + 1], *p = digits + sizeof digits;

	do {
		*--p = (char)('0' + n % 10);
		n /= 10;
	} while (n != 0);
	tdict_set_textn(t, key, p, (size_t)(digits + sizeof digits - p));
}

/* Sets key to the count text name of a language for n (it may hold markup). */
static void
render_set_count(struct tdict *t, const char *key,
    const struct lang_table *lt, const char *name, size_t n)
{
	char	*s;

	s = lang_count_text(lt, name, n, NULL);
	tdict_take_html(t, key, s, strlen(s));
}

/*
 * Renders a document: with RENDER_DEV, first the dev part (live reload, and
 * the deck's warnings, one per line, when d has any) into the document's
 * "dev" value. Frees the dictionary.
 */
static void
render_finish(const struct render_templates *rt, enum render_doc doc,
    struct tdict *t, const struct deck *d, enum render_links links,
    struct buf *out)
{
	struct tdict	*dt;
	struct buf	 part = BUF_INIT, notes = BUF_INIT;
	char		*s;
	size_t		 i;

	if (links == RENDER_DEV) {
		for (i = 0; d != NULL && i < d->diags.n; i++) {
			s = diag_format(d->file, &d->diags.v[i]);
			buf_printf(&notes, "%s\n", s);
			free(s);
		}
		dt = tdict_create();
		tdict_set_outer(dt, tdict_outer(t));
		tdict_set_text(dt, "notes", notes.data == NULL ? "" :
		    notes.data, notes.len);
		tmpl_render(rt->t[RENDER_DEV_PART], dt, &part);
		tdict_free(dt);
		tdict_set_html(t, "dev", part.data == NULL ? "" : part.data,
		    part.len);
	}
	tmpl_render(rt->t[doc], t, out);
	tdict_free(t);
	buf_free(&part);
	buf_free(&notes);
}

/*
 * Renders a document of another module's dictionary (render_search.c),
 * with the interface texts of ui; frees it.
 */
void
render_document(const struct render_templates *rt, enum render_doc doc,
    struct tdict *t, const struct lang_table *ui, enum render_links links,
    struct buf *out)
{
	render_set_strings(rt, t, ui);
	render_finish(rt, doc, t, NULL, links, out);
}

/* Returns "../" n times (allocated). */
static char *
render_ups(size_t n)
{
	char	*s;
	size_t	 i;

	s = xmalloc(3 * n + 1);
	for (i = 0; i < n; i++)
		memcpy(s + 3 * i, "../", 3);
	s[3 * n] = '\0';
	return s;
}

/*
 * Returns the way up (allocated) from a document below folders below a
 * deck's address (a glossary entry: 1) to the top of the decks: one "../"
 * for the deck's own folder and one for each course folder it is in. An
 * exported deck is at the top itself.
 */
static char *
render_up(const struct deck *d, enum render_links links, size_t below)
{
	const char	*s;
	size_t		 n = below;

	if (links != RENDER_EXPORT) {
		n++;
		for (s = d->name; *s != '\0'; s++)
			n += *s == '/';
	}
	return render_ups(n);
}

/* Sets what every deck document shows: titles, language, where the assets are. */
static struct tdict *
render_deck_dict(const struct render_templates *rt, const struct deck *d,
    enum render_links links, size_t below)
{
	struct tdict	*t;
	char		*up;

	t = tdict_create();
	render_set_strings(rt, t, lang_for(d->lang));
	tdict_set_texts(t, "deck_title", d->title);
	tdict_set_texts(t, "deck_name", d->name);
	tdict_set_texts(t, "lang", d->lang);
	up = render_up(d, links, below);
	tdict_set_textf(t, "static", "%sstatic/", up);
	free(up);
	render_set_number(t, "total", d->npages);
	tdict_set_bool(t, "export", links == RENDER_EXPORT);
	tdict_set_bool(t, "aspect43", strcmp(d->aspect, "4:3") == 0);
	if (strcmp(d->theme, "default") != 0)
		tdict_set_texts(t, "theme", d->theme);
	if (links == RENDER_EXPORT) {
		tdict_set_texts(t, "entry_url", "index.html");
		tdict_set_texts(t, "display_url", "display.html");
		tdict_set_texts(t, "overview_url", "overview.html");
	} else {
		tdict_set_texts(t, "entry_url", "./");
		tdict_set_texts(t, "display_url", "display");
		tdict_set_texts(t, "overview_url", "overview");
	}
	return t;
}

/*
 * Renders what a document with code blocks or formulas (typeset, TYPESET_*)
 * loads into its "typeset" value: drfslides' own style and scripts, and the
 * Debian libraries when they are installed. Documents are one folder below
 * the top, or at it when exported.
 */
static void
render_typeset(const struct render_templates *rt, struct tdict *t,
    const struct deck *d, unsigned typeset, enum render_links links)
{
	struct tdict	*pt;
	struct buf	 part = BUF_INIT;
	char		*html, *up;
	size_t		 len;

	if (typeset == 0)
		return;
	pt = tdict_create();
	tdict_set_bool(pt, "code", (typeset & TYPESET_CODE) != 0);
	tdict_set_bool(pt, "hljs", (typeset & TYPESET_CODE) &&
	    vendor_have(VENDOR_HIGHLIGHT));
	tdict_set_bool(pt, "katex", (typeset & TYPESET_MATH) &&
	    vendor_have(VENDOR_KATEX));
	up = render_up(d, links, 0);
	tdict_set_textf(pt, "static", "%sstatic/", up);
	tdict_set_textf(pt, "vendor", "%svendor/", up);
	free(up);
	tmpl_render(rt->t[RENDER_TYPESET_PART], pt, &part);
	tdict_free(pt);
	html = buf_detach(&part, &len);
	tdict_take_html(t, "typeset", html, len);
}

/* Sets key to the relative URL of page n. */
static void
render_page_url(struct tdict *t, const char *key, const struct deck *d,
    size_t n, enum render_links links)
{
	if (links == RENDER_EXPORT)
		tdict_set_textf(t, key, "%s%zu.html", d->base, n);
	else
		render_set_number(t, key, n);
}

/*
 * Whether page n gets the title-page layout: the first page, and a page
 * whose text is nothing but one heading element (or nothing, under a label).
 */
static int
render_is_title(const struct deck *d, size_t n)
{
	const struct deck_page	*pg = &d->pages[n];
	const char		*s = pg->body, *e = pg->body + pg->bodylen, *c;
	char			 close[6];

	if (n == 0)
		return 1;
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if (s == e)
		return *pg->label != '\0';
	if (e - s < 9 || s[0] != '<' || (s[1] != 'h' && s[1] != 'H') ||
	    s[2] < '1' || s[2] > '6' || (s[3] != '>' && !isspace((unsigned char)s[3])))
		return 0;
	/* It ends with the heading's end tag, the only one of its kind. */
	snprintf(close, sizeof close, "</h%c>", s[2]);
	for (c = s + 4; c < e - 5; c++)
		if (*c == '<' && strncasecmp(c, close, 5) == 0)
			return 0;
	return strncasecmp(e - 5, close, 5) == 0;
}

/* Renders one slide. */
void
render_page(const struct render_templates *rt, const struct deck *d, size_t n,
    enum render_links links, struct buf *out)
{
	const struct deck_page	*pg = &d->pages[n];
	struct tdict		*t;

	t = render_deck_dict(rt, d, links, 0);
	tdict_set_texts(t, "title", *pg->title != '\0' ? pg->title : d->title);
	tdict_set_texts(t, "label", pg->label);
	tdict_set_html(t, "header", pg->header, strlen(pg->header));
	tdict_set_html(t, "footer", pg->footer, strlen(pg->footer));
	tdict_set_html(t, "body", pg->body, pg->bodylen);
	render_set_number(t, "number", n);
	render_set_number(t, "human", n + 1);
	render_set_number(t, "percent", (n + 1) * 100 / d->npages);
	render_typeset(rt, t, d, pg->typeset, links);
	tdict_set_bool(t, "title_page", render_is_title(d, n));
	render_page_url(t, "first_url", d, 0, links);
	render_page_url(t, "last_url", d, d->npages - 1, links);
	if (n > 0)
		render_page_url(t, "prev_url", d, n - 1, links);
	if (n + 1 < d->npages)
		render_page_url(t, "next_url", d, n + 1, links);
	render_finish(rt, RENDER_PAGE, t, d, links, out);
}

/* Renders the frameset. */
void
render_entry(const struct render_templates *rt, const struct deck *d,
    size_t start, enum render_links links, struct buf *out)
{
	render_entry_oembed(rt, d, start, NULL, links, out);
}

/*
 * Starts the dictionary of a document that opens at page start (page 0 when
 * start is past the end): has_pages, start_url, start and start_human.
 */
static struct tdict *
render_start_dict(const struct render_templates *rt, const struct deck *d,
    enum render_links links, size_t start)
{
	struct tdict	*t;

	t = render_deck_dict(rt, d, links, 0);
	if (start >= d->npages)
		start = 0;
	tdict_set_bool(t, "has_pages", d->npages > 0);
	render_page_url(t, "start_url", d, start, links);
	render_set_number(t, "start", start);
	render_set_number(t, "start_human", start + 1);
	return t;
}

/* Sets key to the address base, with "?page=N" when start is not page 0. */
static void
render_set_start_url(struct tdict *t, const char *key, const char *base,
    size_t start)
{
	if (start > 0)
		tdict_set_textf(t, key, "%s?page=%zu", base, start);
	else
		tdict_set_texts(t, key, base);
}

/* Renders the frameset, with an oEmbed discovery link when oembed is set. */
void
render_entry_oembed(const struct render_templates *rt, const struct deck *d,
    size_t start, const char *oembed, enum render_links links, struct buf *out)
{
	struct tdict	*t;

	if (start >= d->npages)
		start = 0;
	t = render_start_dict(rt, d, links, start);
	if (links != RENDER_EXPORT) {
		render_set_start_url(t, "view_url", "view", start);
		tdict_set_texts(t, "print_url", "print");
	} else
		/* frames.js adds the page the frameset's address names. */
		tdict_set_texts(t, "view_url", "view.html");
	if (oembed != NULL)
		tdict_set_texts(t, "oembed", oembed);
	render_finish(rt, RENDER_ENTRY, t, d, links, out);
}

/* Renders the single-document container. */
void
render_view(const struct render_templates *rt, const struct deck *d,
    size_t start, const char *oembed, enum render_links links, struct buf *out)
{
	render_view_follow(rt, d, start, oembed, 0, NULL, links, out);
}

/*
 * Sets the link up from a deck's document to the index it is listed in,
 * "../": its course's, named by its title, or the top's (course_title
 * NULL), named by the template as the index of decks.
 */
static void
render_set_index(struct tdict *t, const char *course_title)
{
	tdict_set_texts(t, "index_url", "../");
	if (course_title != NULL)
		tdict_set_texts(t, "index_title", course_title);
}

/* Renders the single-document container, with the follow link when asked. */
void
render_view_follow(const struct render_templates *rt, const struct deck *d,
    size_t start, const char *oembed, int follow, const char *course_title,
    enum render_links links, struct buf *out)
{
	struct tdict	*t;

	if (start >= d->npages)
		start = 0;
	if (links == RENDER_EXPORT) {
		/*
		 * The exported view, one file for every page (view.js opens the
		 * page of ?page=N): no presentation or index of decks there.
		 */
		t = render_start_dict(rt, d, links, start);
		tdict_set_texts(t, "frames_url", "index.html");
		tdict_set_texts(t, "print_url", "print.html");
		render_finish(rt, RENDER_VIEW, t, d, links, out);
		return;
	}
	t = render_start_dict(rt, d, links, start);
	render_set_start_url(t, "frames_url", "./", start);
	tdict_set_texts(t, "print_url", "print");
	render_set_start_url(t, "present_url", "present", start);
	if (follow)
		tdict_set_texts(t, "follow_url", "follow");
	render_set_index(t, course_title);
	if (oembed != NULL)
		tdict_set_texts(t, "oembed", oembed);
	render_finish(rt, RENDER_VIEW, t, d, links, out);
}

/*
 * Lists every page of a deck, with its number, address, label and HTML, as
 * "pages"; with notes, also its speaker notes ("speaker"), never for a
 * public document.
 */
static void
render_pages_list(struct tdict *t, const struct deck *d,
    enum render_links links, int notes)
{
	struct tdict	*it;
	size_t		 i;

	tdict_set_list(t, "pages");
	for (i = 0; i < d->npages; i++) {
		it = tdict_add_item(t, "pages");
		render_set_number(it, "number", i);
		render_set_number(it, "human", i + 1);
		render_page_url(it, "url", d, i, links);
		tdict_set_texts(it, "label", d->pages[i].label);
		tdict_set_html(it, "header", d->pages[i].header,
		    strlen(d->pages[i].header));
		tdict_set_html(it, "footer", d->pages[i].footer,
		    strlen(d->pages[i].footer));
		tdict_set_html(it, "body", d->pages[i].body,
		    d->pages[i].bodylen);
		tdict_set_bool(it, "title_page", render_is_title(d, i));
		if (notes && d->pages[i].notes != NULL)
			tdict_set_html(it, "speaker", d->pages[i].notes,
			    d->pages[i].noteslen);
	}
}

/*
 * Sets "no_pages", for a deck without pages, to what a document that holds
 * the slide frame alone shows instead: the interface's words for it and a
 * link to the deck's view, in the deck's language.
 */
static void
render_no_pages(struct tdict *t, const struct deck *d, const char *view_url)
{
	struct buf	 b = BUF_INIT;
	char		*html;
	size_t		 len;

	/* The deck's title heads the document, as a slide's would. */
	buf_adds(&b, "<main class=\"view-empty\">\n<h1><a href=\"");
	html_texts(&b, view_url);
	buf_adds(&b, "\">");
	html_texts(&b, d->title);
	buf_adds(&b, "</a></h1>\n<p>");
	html_texts(&b, lang_text(lang_for(d->lang), "no_pages"));
	buf_adds(&b, "</p>\n</main>\n");
	html = buf_detach(&b, &len);
	tdict_take_html(t, "no_pages", html, len);
}

/* Renders one of the documents that hold the slide frame alone: presentation, presenter, follower. */
static void
render_stage(const struct render_templates *rt, enum render_doc doc,
    const struct deck *d, size_t start, enum render_links links,
    struct buf *out)
{
	struct tdict	*t;

	t = render_start_dict(rt, d, links, start);
	tdict_set_texts(t, "view_url", "view");
	if (d->npages == 0)
		render_no_pages(t, d, "view");
	render_finish(rt, doc, t, d, links, out);
}

/* Renders the presentation container. */
void
render_present(const struct render_templates *rt, const struct deck *d,
    size_t start, enum render_links links, struct buf *out)
{
	render_stage(rt, RENDER_PRESENT, d, start, links, out);
}

/* Renders the presenter view (without notes). */
void
render_presenter(const struct render_templates *rt, const struct deck *d,
    size_t start, enum render_links links, struct buf *out)
{
	render_stage(rt, RENDER_PRESENTER, d, start, links, out);
}

/* Renders a follower's view. */
void
render_follow(const struct render_templates *rt, const struct deck *d,
    size_t start, enum render_links links, struct buf *out)
{
	render_stage(rt, RENDER_FOLLOW, d, start, links, out);
}

/* Renders the overview of every page. */
void
render_overview(const struct render_templates *rt, const struct deck *d,
    enum render_links links, struct buf *out)
{
	struct tdict	*t;

	t = render_deck_dict(rt, d, links, 0);
	tdict_set_bool(t, "has_pages", d->npages > 0);
	render_pages_list(t, d, links, 0);
	render_typeset(rt, t, d, d->typeset, links);
	render_finish(rt, RENDER_OVERVIEW, t, d, links, out);
}

/* Renders every page and the glossary entries in one document for printing. */
void
render_print(const struct render_templates *rt, const struct deck *d,
    const struct render_gloss *g, size_t ng, int notes,
    const char *course_title, enum render_links links, struct buf *out)
{
	struct tdict	*t, *it;
	size_t		 i;

	if (links == RENDER_EXPORT) {
		/* An exported site is one deck: its slides, no list of decks. */
		t = render_deck_dict(rt, d, links, 0);
		tdict_set_texts(t, "view_url", "index.html");
	} else {
		t = render_deck_dict(rt, d, links, 0);
		tdict_set_texts(t, "view_url", "view");
		render_set_index(t, course_title);
	}
	render_set_count(t, "total_pages", lang_for(d->lang), "n_pages",
	    d->npages);
	tdict_set_texts(t, "notes", d->notes);
	/* The speaker notes: for print?notes=1 and export --notes only. */
	tdict_set_bool(t, "with_notes", notes);
	render_pages_list(t, d, links, notes);
	render_typeset(rt, t, d, d->typeset, links);
	tdict_set_bool(t, "has_entries", ng > 0);
	tdict_set_list(t, "entries");
	for (i = 0; i < ng; i++) {
		it = tdict_add_item(t, "entries");
		tdict_set_texts(it, "term", g[i].term);
		tdict_set_html(it, "entry", g[i].html, g[i].len);
	}
	render_finish(rt, RENDER_PRINT, t, d, links, out);
}

/* Renders the display frame. */
void
render_display(const struct render_templates *rt, const struct deck *d,
    enum render_links links, struct buf *out)
{
	struct tdict	*t;

	t = render_deck_dict(rt, d, links, 0);
	render_finish(rt, RENDER_DISPLAY, t, d, links, out);
}

/*
 * Sets "uses" in an entry's dictionary: each page that uses the term, its
 * address relative to the entry's (NAME/glossary/TERM.html, a level more
 * for each '/' of a deck name in a folder).
 */
static void
render_glossary_list(struct tdict *t, const char *name,
    const struct search_use *uses, size_t n)
{
	struct tdict	*it;
	struct buf	 up = BUF_INIT;
	const char	*p;
	size_t		 i;

	buf_adds(&up, "../../");
	for (p = name; (p = strchr(p, '/')) != NULL; p++)
		buf_adds(&up, "../");
	tdict_set_list(t, "uses");
	for (i = 0; i < n; i++) {
		it = tdict_add_item(t, "uses");
		tdict_set_textf(it, "use_url", "%s%s/?page=%zu", up.data,
		    uses[i].deck, uses[i].page);
		tdict_set_texts(it, "use_title", uses[i].title);
		/* Numbered as the slide's counter numbers them, from 1. */
		render_set_number(it, "use_page", uses[i].page + 1);
		tdict_set_texts(it, "use_label", uses[i].label);
	}
	tdict_set_bool(t, "concordance", 1);
	tdict_set_bool(t, "has_uses", n > 0);
	buf_free(&up);
}

/* Renders a glossary entry, with its concordance when listed. */
static void
render_glossary_doc(const struct render_templates *rt, const struct deck *d,
    const char *term, const char *fragment, size_t fraglen,
    const struct search_use *uses, size_t nuses, int listed,
    enum render_links links, struct buf *out)
{
	struct tdict	*t;

	t = render_deck_dict(rt, d, links, 1);
	tdict_set_texts(t, "term", term);
	if (fragment != NULL)
		tdict_set_html(t, "entry", fragment, fraglen);
	if (listed)
		render_glossary_list(t, d->name, uses, nuses);
	render_finish(rt, RENDER_GLOSSARY, t, d, links, out);
}

/* Renders a glossary entry, or the friendly page for a missing one. */
void
render_glossary(const struct render_templates *rt, const struct deck *d,
    const char *term, const char *fragment, size_t fraglen,
    enum render_links links, struct buf *out)
{
	render_glossary_doc(rt, d, term, fragment, fraglen, NULL, 0, 0, links,
	    out);
}

/* The same, listing where the term is used (the concordance). */
void
render_glossary_uses(const struct render_templates *rt,
    const struct deck *d, const char *term, const char *fragment,
    size_t fraglen, const struct search_use *uses, size_t nuses,
    enum render_links links, struct buf *out)
{
	render_glossary_doc(rt, d, term, fragment, fraglen, uses, nuses, 1,
	    links, out);
}

/* The embed's shape at its full width: the canvas and the navigation strip. */
static unsigned long
render_embed_height(const char *aspect)
{
	unsigned long	 ch = strcmp(aspect, "4:3") == 0 ? 3 : 9;
	unsigned long	 cw = ch == 3 ? 4 : 16;

	return RENDER_EMBED_WIDTH * ch / cw + RENDER_EMBED_NAV;
}

/* Computes the size of an embed of that aspect at most maxw by maxh pixels (0: no limit). */
void
render_embed_size(const char *aspect, unsigned long maxw,
    unsigned long maxh, unsigned long *w, unsigned long *h)
{
	unsigned long	 fh = render_embed_height(aspect);

	*w = RENDER_EMBED_WIDTH;
	*h = fh;
	if (maxw > 0 && maxw < *w) {
		*w = maxw;
		*h = (maxw * fh + RENDER_EMBED_WIDTH / 2) / RENDER_EMBED_WIDTH;
	}
	if (maxh > 0 && maxh < *h) {
		*h = maxh;
		*w = (maxh * RENDER_EMBED_WIDTH + fh / 2) / fh;
	}
	if (*w == 0)
		*w = 1;
	if (*h == 0)
		*h = 1;
}

/*
 * Writes the iframe that embeds a deck's container: the one embed markup of
 * drfslides. It takes the width of the page's column, up to w, and keeps the
 * deck's shape (CSS aspect-ratio) at any width.
 */
void
render_embed(const char *title, const char *aspect, const char *src,
    size_t srclen, unsigned long w, unsigned long h, struct buf *out)
{
	buf_printf(out, "<iframe src=\"");
	html_text(out, src, srclen);
	buf_printf(out, "\" title=\"");
	html_texts(out, title);
	buf_printf(out, "\" width=\"%lu\" height=\"%lu\" "
	    "style=\"border:0;width:100%%;max-width:%lupx;height:auto;"
	    "aspect-ratio:%lu/%lu\" allow=\"fullscreen\" allowfullscreen>"
	    "</iframe>", w, h, w, (unsigned long)RENDER_EMBED_WIDTH,
	    render_embed_height(aspect));
}

/* Returns the last part of a deck's name: its address relative to its course's index. */
static const char *
render_leaf(const char *name)
{
	const char	*slash = strrchr(name, '/');

	return slash != NULL ? slash + 1 : name;
}

/*
 * Writes the embed snippet of a deck, as text for its course's index to
 * show: absolute with a public URL, else relative to the index's address.
 */
static char *
render_embed_snippet(const struct summary *d, const char *public_url)
{
	struct buf	 b = BUF_INIT;
	unsigned long	 w, h;
	char		*src;

	if (public_url != NULL)
		src = xasprintf("%s/%s/view", public_url, d->name);
	else
		src = xasprintf("%s/view", render_leaf(d->name));
	render_embed_size(d->aspect, 0, 0, &w, &h);
	render_embed(d->title, d->aspect, src, strlen(src), w, h, &b);
	free(src);
	buf_addc(&b, '\0');
	return buf_detach(&b, NULL);
}

/*
 * Says in t which sites may embed the decks: "embed_others" when the
 * frame-ancestors list names a source other than 'self' and 'none', and the
 * list itself as "embed_sites".
 */
static void
render_embed_policy(struct tdict *t, const char *frame_ancestors)
{
	const char	*s = frame_ancestors;
	size_t		 len;
	int		 others = 0;

	if (s == NULL)
		return;
	while (*s != '\0') {
		s += strspn(s, " \t");
		len = strcspn(s, " \t");
		if (len > 0 && !(len == 6 && strncasecmp(s, "'self'", 6) == 0) &&
		    !(len == 6 && strncasecmp(s, "'none'", 6) == 0))
			others = 1;
		s += len;
	}
	tdict_set_bool(t, "embed_known", 1);
	tdict_set_bool(t, "embed_others", others);
	tdict_set_texts(t, "embed_sites", frame_ancestors);
}

/*
 * Lists a deck's pages for the index's contents: each links to its label
 * (NAME/@LABEL, which survives edits) when it has one, else to its number.
 */
static void
render_index_contents(struct tdict *it, const struct summary *d)
{
	struct tdict	*pt;
	struct buf	 b = BUF_INIT;
	size_t		 j;

	tdict_set_list(it, "pages");
	for (j = 0; j < d->npages; j++) {
		pt = tdict_add_item(it, "pages");
		buf_reset(&b);
		buf_adds(&b, render_leaf(d->name));
		if (d->labeled[j]) {
			buf_adds(&b, "/@");
			html_url_component(&b, d->labels[j],
			    strlen(d->labels[j]));
		} else
			buf_printf(&b, "/?page=%zu", j);
		tdict_set_textn(pt, "url", b.data, b.len);
		tdict_set_texts(pt, "label", d->labels[j]);
	}
	buf_free(&b);
}

/* Picks the interface language of a page that lists these decks. */
const struct lang_table *
render_index_lang(const char *accept, const struct summary *const *decks,
    size_t n)
{
	const char		**langs;
	const struct lang_table	*lt;
	size_t			 i;

	langs = xcalloc(n + 1, sizeof *langs);
	for (i = 0; i < n; i++)
		langs[i] = decks[i]->lang;
	lt = lang_pick(accept, langs, n);
	free(langs);
	return lt;
}

/*
 * Sets what an index says of its course: the way up to the top
 * ("crumbs"), its title and text in paragraphs ("paras"), and the courses
 * in it; "static" is the way up to the top's static folder.
 */
static void
render_course_dict(struct tdict *t, const struct render_course *c)
{
	struct tdict	*it;
	const char	*s, *e;
	char		*up;
	size_t		 i, depth = 0;

	if (c != NULL && *c->name != '\0')
		depth = c->nup + 1;
	up = render_ups(depth);
	tdict_set_textf(t, "static", "%sstatic/", up);
	free(up);
	tdict_set_list(t, "courses");
	if (c == NULL)
		return;
	tdict_set_bool(t, "has_courses", c->ncourses > 0);
	for (i = 0; i < c->ncourses; i++) {
		it = tdict_add_item(t, "courses");
		tdict_set_texts(it, "course_name", c->courses[i].name);
		tdict_set_texts(it, "course_link_title", c->courses[i].title);
	}
	if (depth == 0)
		return;
	tdict_set_bool(t, "in_course", 1);
	tdict_set_texts(t, "course_title", c->title);
	/* The top, then each course above, each linked by the way up to it. */
	tdict_set_list(t, "crumbs");
	for (i = 0; i <= c->nup; i++) {
		it = tdict_add_item(t, "crumbs");
		up = render_ups(depth - i);
		tdict_set_textn(it, "crumb_url", up, strlen(up));
		free(up);
		if (i > 0)
			tdict_set_texts(it, "crumb_title", c->up[i - 1].title);
	}
	tdict_set_list(t, "paras");
	for (s = c->text; s != NULL && *s != '\0'; s = *e != '\0' ? e + 2 :
	    e) {
		if ((e = strstr(s, "\n\n")) == NULL)
			e = s + strlen(s);
		it = tdict_add_item(t, "paras");
		tdict_set_textn(it, "para", s, (size_t)(e - s));
	}
}

/* Renders the top's index of decks. */
void
render_index_site(const struct render_templates *rt,
    const struct summary *const *decks, size_t n,
    const struct render_broken *broken, size_t nbroken,
    const struct lang_table *ui, const char *public_url,
    const char *frame_ancestors, enum render_links links, struct buf *out)
{
	render_index_course(rt, NULL, decks, n, broken, nbroken, ui,
	    public_url, frame_ancestors, links, out);
}

/*
 * Renders the index of a course's decks (the top's with course NULL), with
 * embed snippets for public_url (may be NULL), saying which sites may embed
 * them (frame_ancestors may be NULL).
 */
void
render_index_course(const struct render_templates *rt,
    const struct render_course *course, const struct summary *const *decks,
    size_t n, const struct render_broken *broken, size_t nbroken,
    const struct lang_table *ui, const char *public_url,
    const char *frame_ancestors, enum render_links links, struct buf *out)
{
	struct tdict	*t, *it;
	char		**snippets;
	size_t		 i;

	snippets = xcalloc(n + 1, sizeof *snippets);
	t = tdict_create();
	render_course_dict(t, course);
	tdict_set_texts(t, "lang", ui->tag);
	render_set_strings(rt, t, ui);
	render_embed_policy(t, frame_ancestors);
	tdict_set_list(t, "broken");
	for (i = 0; i < nbroken; i++) {
		it = tdict_add_item(t, "broken");
		tdict_set_texts(it, "name", broken[i].name);
		tdict_set_texts(it, "error", broken[i].error);
	}
	tdict_set_list(t, "decks");
	for (i = 0; i < n; i++) {
		it = tdict_add_item(t, "decks");
		tdict_set_texts(it, "deck_title", decks[i]->title);
		tdict_set_texts(it, "deck_name", render_leaf(decks[i]->name));
		tdict_set_texts(it, "deck_lang", decks[i]->lang);
		tdict_set_texts(it, "notes", decks[i]->notes);
		render_set_count(it, "total_pages", ui, "n_pages",
		    decks[i]->npages);
		snippets[i] = render_embed_snippet(decks[i], public_url);
		tdict_set_texts(it, "embed", snippets[i]);
		tdict_set_bool(it, "has_pages", decks[i]->npages > 0);
		render_index_contents(it, decks[i]);
	}
	render_finish(rt, RENDER_INDEX, t, NULL, links, out);
	for (i = 0; i < n; i++)
		free(snippets[i]);
	free(snippets);
}

/* Renders an error page. */
void
render_error(const struct render_templates *rt, int status, const char *title,
    const char *message, const char *detail, const char *static_prefix,
    enum render_links links, const struct lang_table *ui, struct buf *out)
{
	struct tdict	*t;
	char		*home = NULL;
	size_t		 plen;

	t = tdict_create();
	if (status != 0)
		tdict_set_textf(t, "status", "%d", status);
	tdict_set_texts(t, "title", title);
	tdict_set_texts(t, "message", message);
	if (detail != NULL)
		tdict_set_texts(t, "detail", detail);
	tdict_set_texts(t, "static", static_prefix);
	/* The index is where the static directory is: ".../static/" less "static/". */
	plen = strlen(static_prefix);
	if (plen >= 7 && strcmp(static_prefix + plen - 7, "static/") == 0) {
		home = xstrndup(static_prefix, plen - 7);
		tdict_set_texts(t, "home", *home != '\0' ? home : "/");
	}
	tdict_set_texts(t, "lang", ui->tag);
	render_set_strings(rt, t, ui);
	render_finish(rt, RENDER_ERROR, t, NULL, links, out);
	free(home);
}
