/* route.h: what the router's files share: the application, the responses and the routes. */
#ifndef DRF_ROUTE_H
#define DRF_ROUTE_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "cache.h"
#include "deck.h"
#include "router.h"

#define ROUTER_HTML		"text/html; charset=UTF-8"

struct app {
	struct cache	*cache;
	char		*static_dir;
	char		*decks_dir;
	char		*csp;
	char		*cache_control;
	char		*public_url;	/* without a trailing '/', or NULL */
	struct deck_limits limits;
	int		 dev;
};

/* router.c: reading the request. */

/* Parses a page number written the canonical way: digits, no sign, no leading zero. */
int	 router_page_number(const char *, size_t, unsigned long *);
/* Finds page=N in a query string; returns 0 if absent, 1 if valid, -1 if malformed. */
int	 router_query_page(const char *, unsigned long *);

/* response.c: the responses every route makes. */

/* Returns the mount point to put in front of a path, or "" if it is not a plain path. */
const char *router_base(const struct request *);
/* Makes an error page, with a preformatted detail; every word in it is escaped. */
void	 router_error_detail(struct app *, const struct request *,
	    struct response *, int, const char *, const char *detail);
/* Makes an error page. */
void	 router_error(struct app *, const struct request *, struct response *,
	    int, const char *);
/* Returns the numbered line an author error names, for the dev server's error page; or NULL. */
char	*router_error_line(const char *, const struct deck_limits *);
/* Answers with a redirect to base + path; the target is built only from validated parts. */
void	 router_redirect(struct app *, const struct request *, struct response *,
	    const char *);
/* Returns 1 if an If-None-Match list holds the tag. */
int	 router_etag_matches(const char *, const char *);
/* Serves a blob with its validators, or 304 when the client has it. */
void	 router_blob(struct app *, const struct request *, struct response *,
	    struct blob *, const char *);
/* Wraps a rendered buffer as a response blob (dynamic pages get validators too). */
void	 router_buf(struct app *, const struct request *, struct response *,
	    struct buf *, time_t);

/* route_deck.c: a deck's pages and the index. */

/* Serves the index of every deck. */
void	 router_index(struct app *, const struct request *, struct response *);
/* Serves a glossary entry, or the friendly page that says there is none. */
void	 router_glossary(struct app *, const struct request *, struct response *,
	    struct cache_deck *, const char *, size_t);
/* Tries "/NAMEN.html", the 2001 static names; returns 1 if it redirected. */
int	 router_compat(struct app *, const struct request *, struct response *,
	    const char *, size_t);
/* Lists a deck's diagnostics, one per line, for the dev server's banner. */
char	*router_dev_notes(const struct deck *);
/* Serves a deck's frameset, NAME/[?page=N]. */
void	 router_entry(struct app *, const struct request *, struct response *,
	    struct cache_deck *);
/* Serves the single-document container, NAME/view[?page=N]. */
void	 router_view(struct app *, const struct request *, struct response *,
	    struct cache_deck *);
/* Serves every page of a deck with its glossary entries, NAME/print. */
void	 router_print(struct app *, const struct request *, struct response *,
	    struct cache_deck *);

/* route_present.c: presenting a deck. */

/* Serves the presentation, NAME/present[?page=N]: the slide alone on the screen. */
void	 router_present(struct app *, const struct request *, struct response *,
	    struct cache_deck *);
/* Serves the overview, NAME/overview: every page as a small slide. */
void	 router_overview(struct app *, const struct request *, struct response *,
	    struct cache_deck *);

/* route_oembed.c: oEmbed. */

/* Returns 1 if a --public-url value is an origin and a plain path. */
int	 router_public_url_valid(const char *);
/* Returns the address of the oEmbed answer for a deck's document, or NULL without a public URL. */
char	*router_oembed_href(struct app *, const char *, const char *);
/* Answers oembed?url=URL for a URL of one of our decks. */
void	 router_oembed(struct app *, const struct request *, struct response *);

/* route_file.c: files as they are. */

/* Serves a file from the static directory: one flat name of a known type. */
void	 router_static(struct app *, const struct request *, struct response *,
	    const char *, size_t);
/* Serves a deck's asset from the deck's folder, typed by its extension. */
void	 router_asset(struct app *, const struct request *, struct response *,
	    const char *, const char *, size_t);

#endif
