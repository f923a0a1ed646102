/* render.h: turning a deck into finished HTML documents through the templates. */
#ifndef DRF_RENDER_H
#define DRF_RENDER_H

#include <stddef.h>

#include "buf.h"
#include "deck.h"

/*
 * The documents drfslides produces, one template file each in the templates
 * directory. Renders are pure functions of their arguments: they know nothing
 * of HTTP, and a loaded template set is read-only, so threads may share it.
 */
enum render_doc {
	RENDER_PAGE,		/* page.html: one slide */
	RENDER_ENTRY,		/* entry.html: the classic frameset */
	RENDER_DISPLAY,		/* display.html: the glossary frame */
	RENDER_GLOSSARY,	/* glossary.html: one glossary entry */
	RENDER_INDEX,		/* index.html: every deck */
	RENDER_ERROR,		/* error.html: an error or a notice */
	RENDER_VIEW,		/* view.html: the single-document container */
	RENDER_PRINT,		/* print.html: every page, for printing */
	RENDER_DEV_PART,	/* dev.html: the dev server's part of every document */
	RENDER_PRESENT,		/* present.html: the presentation container */
	RENDER_OVERVIEW,	/* overview.html: every page, small */
	RENDER_TYPESET_PART,	/* typeset.html: what code and formulas load */
	RENDER_PRESENTER,	/* presenter.html: the presenter view */
	RENDER_FOLLOW,		/* follow.html: a follower's view */
	RENDER_SEARCH,		/* search.html: the search form and results */
	RENDER_NDOCS
};

/* How links between the documents are written. */
enum render_links {
	RENDER_SERVED,		/* /NAME/, /NAME/N, /NAME/display, /static/... */
	RENDER_EXPORT,		/* index.html, NAMEN.html, display.html, static/... */
	RENDER_DEV		/* served, each document with the dev part (dev.html) */
};

/*
 * The width of an embedded deck, in CSS pixels, unless a consumer asks for
 * less; its height is the canvas's at that width (16:9 or 4:3) and a strip of
 * RENDER_EMBED_NAV pixels for the navigation: 960x600 or 960x780.
 */
#define RENDER_EMBED_WIDTH	960
#define RENDER_EMBED_NAV	60

struct render_templates;

/* Loads every template from dir; on error returns -1 with *cause naming the file and line. */
int	 render_templates_load(struct render_templates **, const char *dir,
	    char **cause);
void	 render_templates_free(struct render_templates *);
const char *render_template_file(enum render_doc);

/* Page n of a deck (n < deck->npages). */
void	 render_page(const struct render_templates *, const struct deck *,
	    size_t n, enum render_links, struct buf *);
/* The frameset, showing page start first. */
void	 render_entry(const struct render_templates *, const struct deck *,
	    size_t start, enum render_links, struct buf *);
/*
 * The frameset with an oEmbed discovery link: oembed is the absolute URL of
 * the oEmbed answer for this deck (NULL for none). render_entry() is this
 * with NULL.
 */
void	 render_entry_oembed(const struct render_templates *,
	    const struct deck *, size_t start, const char *oembed,
	    enum render_links, struct buf *);
/*
 * The single-document container (served as NAME/view): the slide and display
 * frames as two named iframes, showing page start first; oembed as above.
 */
void	 render_view(const struct render_templates *, const struct deck *,
	    size_t start, const char *oembed, enum render_links, struct buf *);
/*
 * The same, offering "follow the lecture" (NAME/follow) when follow is set;
 * its link up names the deck's course by course_title (NULL for a deck at
 * the top: the index of decks).
 */
void	 render_view_follow(const struct render_templates *,
	    const struct deck *, size_t start, const char *oembed, int follow,
	    const char *course_title, enum render_links, struct buf *);

/*
 * The presentation (served as NAME/present): the slide frame alone on the
 * screen, showing page start first, and the glossary as an overlay.
 */
void	 render_present(const struct render_templates *, const struct deck *,
	    size_t start, enum render_links, struct buf *);
/*
 * The presenter view (NAME/presenter): the slide, the next one, the timer;
 * it holds no notes, which its script fetches with the presenter key.
 */
void	 render_presenter(const struct render_templates *, const struct deck *,
	    size_t start, enum render_links, struct buf *);
/* A follower's view (NAME/follow): the slide, moved to the presenter's position. */
void	 render_follow(const struct render_templates *, const struct deck *,
	    size_t start, enum render_links, struct buf *);
/* Every page of a deck as a small slide that leads to it (NAME/overview). */
void	 render_overview(const struct render_templates *, const struct deck *,
	    enum render_links, struct buf *);

/* A glossary entry for the print view: the term and the author's fragment. */
struct render_gloss {
	const char	*term;
	const char	*html;
	size_t		 len;
};
/*
 * Every page of a deck in one document (served as NAME/print, exported as
 * print.html), followed by the glossary entries given, in their order.
 * With notes, each page is followed by its speaker notes: for the
 * presenter only (print?notes=1 with the key, export --notes). Its link up
 * names the deck's course as render_view_follow()'s does.
 */
void	 render_print(const struct render_templates *, const struct deck *,
	    const struct render_gloss *, size_t, int notes,
	    const char *course_title, enum render_links, struct buf *);
/* The display frame's document. */
void	 render_display(const struct render_templates *, const struct deck *,
	    enum render_links, struct buf *);
/*
 * A glossary entry: the author's HTML fragment wrapped in a page, or, when
 * fragment is NULL, a friendly page saying that term has no entry.
 */
void	 render_glossary(const struct render_templates *, const struct deck *,
	    const char *term, const char *fragment, size_t fraglen,
	    enum render_links, struct buf *);
/*
 * The same, listing the pages that use the term (from search_uses()),
 * linked from the entry's address (NAME/glossary/TERM.html) to each.
 */
struct search_use;
void	 render_glossary_uses(const struct render_templates *,
	    const struct deck *, const char *term, const char *fragment,
	    size_t fraglen, const struct search_use *, size_t,
	    enum render_links, struct buf *);
/*
 * The deck index at the top of the decks (links relative to it), from the
 * decks' summaries, with embed snippets whose iframe src starts with
 * public_url (the absolute URL of the top of the decks, without a trailing
 * '/'); with NULL the snippets hold relative URLs that the page's script
 * makes absolute. Beside each snippet it says which sites may embed the
 * decks: frame_ancestors is the CSP frame-ancestors source list the server
 * sends (NULL: nothing said).
 */
struct summary;
struct lang_table;
/* A deck that fails to load, for the dev server's index: its name and first error. */
struct render_broken {
	const char	*name;
	const char	*error;
};
/*
 * The index in the interface language ui (lang.h); the dev server's also
 * lists the broken decks (nbroken of them; NULL and 0 elsewhere).
 */
void	 render_index_site(const struct render_templates *,
	    const struct summary *const *, size_t,
	    const struct render_broken *, size_t nbroken,
	    const struct lang_table *ui, const char *public_url,
	    const char *frame_ancestors, enum render_links, struct buf *);
/*
 * The interface language of a page that lists decks: from the request's
 * Accept-Language value (NULL: none), else from most of the decks.
 */
const struct lang_table *render_index_lang(const char *accept,
	    const struct summary *const *, size_t);
/*
 * A course folder's index: the course ("networks1/lab" below the top), its
 * title and short text (course.h; text in paragraphs separated by "\n\n",
 * or NULL), the titles of the nup courses above it from the top down (the
 * top itself excluded), and the courses in it: each a folder name (one
 * part) and its title, in name order. An index links to its decks and
 * courses relative to its own address, "COURSE/".
 */
struct render_link {
	const char	*name;
	const char	*title;
};
struct render_course {
	const char		*name;
	const char		*title;
	const char		*text;
	const struct render_link *up;
	size_t			 nup;
	const struct render_link *courses;
	size_t			 ncourses;
};
/*
 * The index of a course (render_index_site() for course NULL, the top's),
 * in the interface language ui, with the broken decks as there.
 */
void	 render_index_course(const struct render_templates *,
	    const struct render_course *, const struct summary *const *,
	    size_t, const struct render_broken *, size_t nbroken,
	    const struct lang_table *ui, const char *public_url,
	    const char *frame_ancestors, enum render_links, struct buf *);
/*
 * The size of the embed of a deck of that aspect ("16:9", "4:3") at most
 * maxw by maxh pixels (0: no limit), in the shape of its canvas and
 * navigation strip.
 */
void	 render_embed_size(const char *aspect, unsigned long maxw,
	    unsigned long maxh, unsigned long *w, unsigned long *h);
/*
 * The iframe that embeds the container of the deck titled title at src
 * (both escaped here), w by h pixels, keeping the deck's shape at whatever
 * width the page gives it.
 */
void	 render_embed(const char *title, const char *aspect, const char *src,
	    size_t srclen, unsigned long w, unsigned long h, struct buf *);
/*
 * An error page. status is shown as a number (0 for none); detail (may be
 * NULL) is shown preformatted, e.g. the offending line of a deck;
 * with RENDER_DEV, the page also gets the dev part (it reloads when fixed);
 * static_prefix is the URL of the static directory, ending in '/'; ui is
 * the page's language (its texts; message is already one of them). All
 * text is escaped.
 */
void	 render_error(const struct render_templates *, int status,
	    const char *title, const char *message, const char *detail,
	    const char *static_prefix, enum render_links,
	    const struct lang_table *ui, struct buf *);

/* Renders a document from a dictionary another module made (tmpl.h); frees it. */
struct tdict;
void	 render_document(const struct render_templates *, enum render_doc,
	    struct tdict *, const struct lang_table *ui, enum render_links,
	    struct buf *);

/* render_search.c: the search page and the concordance of an entry. */

/*
 * The interface language of the search page: the one the request's
 * Accept-Language value (may be NULL) accepts, else Japanese for a query
 * (may be NULL) in kana or kanji, else English.
 */
const struct lang_table *render_search_lang(const char *accept,
	    const char *query);
/*
 * The search page of a course folder ("uni/networks1"; "" or NULL: the
 * top's; titles, ntitles: its title and those of the courses above it, as
 * cache_course_titles() gives them, for the way up and the heading), its
 * links relative to the folder's address: the form with the
 * query (NULL: none yet) and its scope (a prefix of deck names within the
 * course, or NULL), and the results (every deck in them in the course), in
 * the interface language ui.
 */
struct search_result;
void	 render_search(const struct render_templates *, const char *course,
	    char *const *titles, size_t ntitles, const char *query,
	    const char *scope, const struct search_result *,
	    const struct lang_table *ui, enum render_links, struct buf *);

#endif
