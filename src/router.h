/* router.h: the application both servers share: requests in, finished responses out. */
#ifndef DRF_ROUTER_H
#define DRF_ROUTER_H

#include <sys/types.h>

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "cache.h"
#include "deck.h"

#define ROUTER_MAX_URI	8192	/* longer request targets get 414 */

struct app_config {
	const char		*decks_dir;
	const char		*templates_dir;
	const char		*static_dir;
	size_t			 cache_bytes;
	unsigned		 stat_interval_ms;
	const char		*frame_ancestors;	/* CSP frame-ancestors sources */
	/*
	 * The top of the decks as visitors see it ("https://host/slides"), for
	 * oEmbed discovery and embed code; NULL when unknown (never taken from
	 * the Host header).
	 */
	const char		*public_url;
	const char		*cache_control;		/* Cache-Control of pages */
	struct deck_limits	 limits;
	int			 dev;			/* the dev server's extras */
	void			(*log)(void *, const char *);
	void			*log_arg;
};

struct app;

/* Creates the application (its cache and templates); -1 with *cause on failure. */
int	 app_create(struct app **, const struct app_config *, char **cause);
void	 app_free(struct app *);		/* accepts NULL */
struct cache *app_cache(struct app *);

/*
 * One request as a front end received it. path is the part after the mount
 * point, percent-decoded, starting with '/'; pathlen counts any NUL a decoder
 * produced, so that the router can refuse it. base is the mount point
 * (SCRIPT_NAME, "" at the root), used only to build Location headers.
 */
struct request {
	const char	*method;
	const char	*path;
	size_t		 pathlen;
	const char	*query;		/* raw, without '?'; NULL or "" for none */
	const char	*base;
	const char	*if_none_match;
	const char	*if_modified_since;
	size_t		 urilen;	/* length of the raw request target */
	const char	*range;		/* the Range header, or NULL */
	const char	*if_range;	/* the If-Range header, or NULL */
};

/* A finished response: status, headers and the bytes of the body. */
struct response {
	int		 status;
	const char	*content_type;
	const char	*body;		/* points into blob or buf */
	size_t		 len;		/* Content-Length, also for HEAD */
	int		 send_body;	/* 0 for HEAD and 304 */
	struct blob	*blob;
	struct buf	 buf;
	char		*location;
	const char	*allow;
	const char	*cache_control;
	const char	*csp;
	char		 etag[24];
	time_t		 mtime;		/* 0: no Last-Modified */
	char		*dev_notes;	/* dev server: the deck's warnings, one per line */
	/*
	 * A file body (a deck's asset) instead of body: len bytes of fd from
	 * offset. The response owns fd and response_free closes it, unless a
	 * front end took it over (and cleared file).
	 */
	int		 file;
	int		 fd;
	off_t		 offset;
	const char	*accept_ranges;
	char		*content_range;
	const char	*disposition;	/* Content-Disposition */
};

/* Appends the percent-decoding of a URI path; a malformed escape is kept as written. */
void	 router_decode(struct buf *, const char *, size_t);

/*
 * Returns 1 if a decoded path names a deck's asset ("/NAME/fig1.gif"), not
 * one of its pages: what a front end that rewrites pages leaves alone.
 */
int	 router_asset_path(const char *, size_t);

/* Answers a request; always fills resp (which the caller frees with response_free). */
void	 router_handle(struct app *, const struct request *, struct response *);
void	 response_free(struct response *);
/* Returns the reason phrase of a status code. */
const char *response_reason(int);
/* Calls fn(arg, name, value) for every header but Content-Length, in a fixed order. */
void	 response_headers(const struct response *,
	    void (*)(void *, const char *, const char *), void *);

#endif
