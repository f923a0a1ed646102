/* request.h: one HTTP request as the front ends hand it over, and the helpers that read it. */
#ifndef DRF_REQUEST_H
#define DRF_REQUEST_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

#define REQUEST_MAX_URI	8192	/* longer request targets get 414 */

/*
 * One request as a front end received it. path is the part after the mount
 * point, percent-decoded, starting with '/'; pathlen counts any NUL a decoder
 * produced, so that the router can refuse it. base is the mount point
 * (SCRIPT_NAME, "" at the root), used only to build addresses. Every string
 * is borrowed from the front end for the time of the request.
 */
struct request {
	const char	*method;
	const char	*path;
	size_t		 pathlen;
	const char	*query;		/* raw, without '?'; NULL or "" for none */
	const char	*base;
	const char	*host;		/* the Host header (or authority), or NULL */
	const char	*scheme;	/* "http" or "https"; NULL: "http" */
	const char	*if_none_match;
	const char	*if_modified_since;
	size_t		 urilen;	/* length of the raw request target */
	const char	*range;		/* the Range header, or NULL */
	const char	*if_range;	/* the If-Range header, or NULL */
	const char	*authorization;	/* the Authorization header, or NULL */
	const char	*origin;	/* the Origin header, or NULL */
	const char	*fetch_site;	/* the Sec-Fetch-Site header, or NULL */
	const char	*accept_language; /* the Accept-Language header, or NULL */
	const char	*remote_addr;	/* the client's address, or NULL */
	const char	*body;		/* a POST's form body (NUL-terminated), or NULL */
	size_t		 bodylen;
	int		 body_too_long;	/* the body was longer than REQUEST_MAX_BODY */
};

#define REQUEST_MAX_BODY	1024	/* the forms drfslides takes are small */

/* Appends the percent-decoding of a URI path; a malformed escape is kept as written. */
void	 request_decode(struct buf *, const char *, size_t);
/* Parses a page number written the canonical way: digits, no sign, no leading zero. */
int	 request_page_number(const char *, size_t, unsigned long *);
/* Finds name=VALUE in a query string; returns VALUE (raw, not decoded) and its length, or NULL. */
const char *request_query(const char *, const char *, size_t *);
/* Finds name=VALUE given at most once; returns 0 if absent, 1 if once (VALUE in *v), -1 if repeated. */
int	 request_query_once(const char *, const char *, const char **, size_t *);
/* Finds page=N in a query string; returns 0 if absent, 1 if valid, -1 if malformed. */
int	 request_query_page(const char *, unsigned long *);
/* Returns 1 if a decoded path holds nothing a file name could abuse. */
int	 request_path_safe(const char *, size_t);
/* Returns 1 if a mount base is "" or a plain absolute path ("/a/b", never "//host"). */
int	 request_base_valid(const char *);
/* Returns the mount point to put in front of a path, or "" if it is not a plain path. */
const char *request_base(const struct request *);
/* Returns 1 if a Host value is a plain host name or address with an optional port. */
int	 request_host_valid(const char *, size_t);
/*
 * Returns 1 if the client's copy is current: If-None-Match holds etag, or,
 * without If-None-Match, If-Modified-Since is not before mtime (0: unknown).
 */
int	 request_fresh(const struct request *, const char *etag, time_t mtime);
/* Returns 1 if an If-None-Match list holds the tag. */
int	 request_etag_matches(const char *, const char *);

#endif
