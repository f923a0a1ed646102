/* route.h: the route table and what the router's files share: the application, handlers, responses. */
#ifndef DRF_ROUTE_H
#define DRF_ROUTE_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "cache.h"
#include "deck.h"
#include "position.h"
#include "presenter.h"
#include "render.h"
#include "request.h"
#include "route_table.h"
#include "router.h"
#include "search.h"

#define ROUTER_HTML		"text/html; charset=UTF-8"

struct app {
	struct cache	*cache;
	char		*static_dir;
	char		*decks_dir;
	char		*templates_dir;
	char		*csp;
	char		*frame_ancestors;	/* the sources of csp */
	char		*cache_control;
	char		*public_url;	/* without a trailing '/', or NULL */
	struct deck_limits limits;
	int		 dev;
	struct presenter *presenter;	/* who may present */
	struct position_store *positions; /* where each deck's presenter is */
	struct search	*search;	/* the search index, filled on first use */
	unsigned	 stat_interval_ms;	/* how often files are looked at */
	void		(*log)(void *, const char *);	/* may be NULL */
	void		*log_arg;
};

/*
 * The route table (route_table.c), the one place that names the routes.
 * A site route matches the path after the mount point's '/'; a course
 * route what follows a course folder's address ("COURSE/", the top being
 * the course ""); a deck route what follows a deck's own address
 * ("NAME/", with its course folders: "networks1/week05-tcp/").
 * route_table_place() finds where a course or deck's name ends.
 */
enum route_scope {
	ROUTE_SITE,
	ROUTE_COURSE,
	ROUTE_DECK
};

enum route_shape {
	ROUTE_FIXED,		/* exactly name */
	ROUTE_PREFIX,		/* name and at least one byte more */
	ROUTE_PAGE,		/* a page number below the deck's count */
	ROUTE_OLDNAME,		/* NAMEN.html, the 2001 static names */
	ROUTE_ASSET		/* any valid asset path no other route takes */
};

#define ROUTE_GET	0x01u
#define ROUTE_HEAD	0x02u
#define ROUTE_POST	0x04u
#define ROUTE_READ	(ROUTE_GET | ROUTE_HEAD)

#define ROUTE_DEV	0x01u	/* answered by the dev server only */
#define ROUTE_HELD	0x02u	/* a deck route answered from the version held (cache_peek) */

/* What a matched route gets: the deck (deck routes) and the rest of the path. */
struct route_arg {
	struct cache_deck	*cd;		/* NULL for site and course routes */
	const char		*name;		/* the deck's or course's name, or NULL */
	const char		*rest;		/* the path after name or prefix */
	size_t			 restlen;
	unsigned long		 page;		/* ROUTE_PAGE */
};

typedef void route_fn(struct app *, const struct request *, struct response *,
    const struct route_arg *);

struct route {
	enum route_scope	 scope;
	enum route_shape	 shape;
	const char		*name;
	unsigned		 methods;	/* ROUTE_GET, ... */
	unsigned		 flags;		/* ROUTE_DEV, ROUTE_HELD */
	const char		*export_name;	/* the file export writes for it, or NULL */
	route_fn		*fn;
};

/* Finds the route of a site path (after its '/'); NULL if none. */
const struct route *route_table_site(const char *, size_t, int dev,
	    struct route_arg *);
/* Finds the route of a path below a course (after "COURSE/", or the top's '/'); NULL if none. */
const struct route *route_table_course(const char *, size_t,
	    struct route_arg *);

/*
 * route_table_place (route_table.h) against the app's decks: a deck found is held in *cd (release
 * it; NULL otherwise), with its status, error and failure as
 * cache_get_failure() gives them (failure filled on the dev server only).
 * name gets the deck's or course's name. With held, only the versions the
 * cache holds are asked, without a stat (cache_peek): a deck not held is
 * not found, and any other name is taken for a course folder.
 */
struct route_found {
	struct route_place	 place;
	char			 name[DECK_PATH_MAX + 1];
	struct cache_deck	*cd;
	enum cache_status	 status;
	char			*err;
	struct deck_error	 failure;
	struct app		*app;
};
void	 route_table_find(struct app *, const char *, size_t, int held,
	    struct route_found *);
void	 route_found_free(struct route_found *);

/* Finds the route of a path below a deck (after "NAME/"); NULL if none. */
const struct route *route_table_deck(const struct deck *, const char *,
	    size_t, struct route_arg *);
/* Returns the methods of every route, for a quick 405. */
unsigned route_table_methods(void);
/* Writes a route's methods as an Allow value ("GET, HEAD"). */
const char *route_table_allow(unsigned);

/* response.c: the responses every route makes. */

/*
 * Makes an error page: the message is the name of a text of the language
 * tables ("e_no_page"), the detail (may be NULL) a variable part shown
 * preformatted; every word in it is escaped. Its language: the reader's,
 * else the deck's (response.deck_lang), else English.
 */
void	 response_error_detail(struct app *, const struct request *,
	    struct response *, int, const char *, const char *detail);
/* Makes an error page without a detail. */
void	 response_error(struct app *, const struct request *, struct response *,
	    int, const char *);
/*
 * Answers with a redirect (301 for a move, 302 for an address whose target
 * may change) to base + path; the target is built only from validated parts.
 */
void	 response_redirect(struct app *, const struct request *,
	    struct response *, int status, const char *);
/*
 * Refuses, with 503 and why, a document of every page of a deck larger
 * than cache_whole_limit(); returns 1 if it did.
 */
int	 response_whole_refused(struct app *, const struct request *,
	    struct response *, const struct cache_deck *);
/* Serves a blob with its validators, or 304 when the client has it. */
void	 response_blob(struct app *, const struct request *, struct response *,
	    struct blob *, const char *);
/* Wraps a rendered buffer as a response blob (dynamic pages get validators too). */
void	 response_buf(struct app *, const struct request *, struct response *,
	    struct buf *, time_t);
/*
 * Reads the page a document opens at from ?page=N: 0 with *start set (page
 * 0 without the parameter), or -1 after answering 404 for a bad or missing page.
 */
int	 response_start_page(struct app *, const struct request *,
	    struct response *, const struct deck *, size_t *start);
/* Returns how the documents of this app link to each other (served, or served with dev extras). */
enum render_links response_links(const struct app *);

/* route_deck.c: the index and a deck's documents. */

route_fn route_index;		/* the index of a course: its decks and courses */
route_fn route_entry;		/* NAME/[?page=N], the frameset */
route_fn route_view;		/* NAME/view[?page=N], the container */
route_fn route_print;		/* NAME/print, every page and glossary entry */
route_fn route_display;		/* NAME/display, the glossary frame */
route_fn route_page;		/* NAME/N, one page */
route_fn route_glossary;	/* NAME/glossary/TERM.html */
route_fn route_oldname;		/* [COURSE/]NAMEN.html, redirected to NAME/?page=N */
route_fn route_label;		/* NAME/@LABEL, redirected to the page with that label */

/* route_present.c: presenting a deck. */

route_fn route_present;		/* NAME/present[?page=N], the presentation */
route_fn route_overview;	/* NAME/overview, every page small */

/* route_presenter.c: the presenter and the audience that follows. */

route_fn route_presenter;	/* NAME/presenter, the presenter view */
route_fn route_follow;		/* NAME/follow, a follower's view */
route_fn route_notes;		/* NAME/notes, the speaker notes (key) */
route_fn route_position;	/* NAME/position: GET the position, POST it (key) */
/*
 * Checks a presenter request's key; returns 1 if it may go on, or 0 with
 * the refusal in r (404 without a presenter, 401, 403, 429).
 */
int	 route_presenter_allowed(struct app *, const struct request *,
	    struct response *, const struct route_arg *);

/* route_oembed.c: oEmbed. */

/* Returns 1 if a --public-url value is an origin and a plain path. */
int	 route_oembed_public_url_valid(const char *);
/* Returns the address of the oEmbed answer for a deck's document, or NULL without a public URL. */
char	*route_oembed_href(struct app *, const char *, const char *);
route_fn route_oembed;		/* oembed?url=URL */

/* route_file.c: files as they are. */

route_fn route_static;		/* static/FILE */
route_fn route_vendor;		/* vendor/LIB/FILE: highlight.js, KaTeX */
route_fn route_asset;		/* NAME/PATH, a deck's asset */

/* route_search.c: search. */

route_fn route_search;		/* [COURSE/]search?q=WORDS[&scope=PREFIX] */
/* Brings the search index up to date with the decks and the glossary entries. */
void	 route_search_update(struct app *);

/* route_health.c: the health check. */

route_fn route_health;		/* _drfslides/health: 200 "ok", or 503 */

/* dev.c: what only the dev server answers. */

route_fn dev_live;		/* the live-reload token */
/*
 * Answers with the author's error message and, when the failure has one,
 * the failing line, numbered (500).
 */
struct deck_error;
void	 dev_error(struct app *, const struct request *, struct response *,
	    const char *, const struct deck_error *);

#endif
