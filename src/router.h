/* router.h: the application both servers share: requests (request.h) in, finished responses out. */
#ifndef DRF_ROUTER_H
#define DRF_ROUTER_H

#include <sys/types.h>

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "cache.h"
#include "deck.h"
#include "request.h"

struct app_config {
	const char		*decks_dir;
	const char		*templates_dir;
	const char		*static_dir;
	size_t			 cache_bytes;
	const char		*state_dir;	/* versions (state.h) and positions; NULL: none */
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
	/*
	 * The presenter: the file of its key (NULL: none); without one, the
	 * presenter routes are open with presenter_open (the dev server on a
	 * loopback address) and absent otherwise. The positions are kept in
	 * state_dir (NULL: in memory, for one process).
	 */
	const char		*presenter_key_file;
	int			 presenter_open;
	void			(*log)(void *, const char *);
	void			*log_arg;
};

struct app;

/* Creates the application (its cache and templates); -1 with *cause on failure. */
int	 app_create(struct app **, const struct app_config *, char **cause);
void	 app_free(struct app *);		/* accepts NULL */
struct cache *app_cache(struct app *);

/* A finished response: status, headers and the bytes of the body. */
struct response {
	int		 status;
	const char	*content_type;
	const char	*body;		/* points into blob or buf */
	size_t		 len;		/* Content-Length, also for HEAD and 304 */
	int		 send_body;	/* 0 for HEAD and 304 */
	struct blob	*blob;
	struct buf	 buf;
	char		*location;
	const char	*allow;
	const char	*cache_control;
	const char	*vary;		/* a Vary header, or NULL */
	/*
	 * The language tag of the deck the request is for, once it is loaded
	 * (static: a table's tag), or NULL: an error page's language when
	 * Accept-Language names none of the tables.
	 */
	const char	*deck_lang;
	const char	*csp;
	char		 etag[24];
	time_t		 mtime;		/* 0: no Last-Modified */
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
	const char	*www_authenticate;	/* WWW-Authenticate of a 401 */
	time_t		 accel_expires;	/* X-Accel-Expires: @this (nginx's cache); 0: none */
	/*
	 * What a CDN may purge this answer by (Surrogate-Key, Cache-Tag): a
	 * deck's answers carry "deck-NAME" (a deck in a course folder:
	 * "deck-networks1+week05-tcp", '+' for '/', so that it is one header
	 * token), the indexes "index"; every answer also "drfslides". Empty:
	 * "drfslides" alone.
	 */
	char		 purge_key[sizeof "deck-" + DECK_PATH_MAX];
};

/* Answers a request; always fills resp (which the caller frees with response_free). */
void	 router_handle(struct app *, const struct request *, struct response *);
/* Answers with an error page a request the front end refused before routing it (400). */
void	 router_refuse(struct app *, const struct request *, struct response *,
	    int, const char *);
void	 response_free(struct response *);
/* Returns the reason phrase of a status code. */
const char *response_reason(int);
/* Calls fn(arg, name, value) for every header but Content-Length, in a fixed order. */
void	 response_headers(const struct response *,
	    void (*)(void *, const char *, const char *), void *);

#endif
