/* response.c: what every route answers with: headers, validators, redirects, error pages. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "lang.h"
#include "render.h"
#include "route.h"
#include "router.h"
#include "request.h"
#include "util.h"

/* Names a status code. */
const char *
response_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 206: return "Partial Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 414: return "URI Too Long";
	case 413: return "Content Too Large";
	case 416: return "Range Not Satisfiable";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

/* Frees what a response holds. */
void
response_free(struct response *r)
{
	blob_release(r->blob);
	buf_free(&r->buf);
	free(r->location);
	if (r->file)
		close(r->fd);
	free(r->content_range);
	memset(r, 0, sizeof *r);
}

/* Formats an HTTP date; each thread remembers its last one (pages share an mtime). */
static void
response_http_date(time_t t, char *out, size_t size)
{
	static __thread time_t	 last_t;
	static __thread char	 last[64];
	struct tm		 tm;
	size_t			 len;

	if (last[0] == '\0' || t != last_t) {
		gmtime_r(&t, &tm);
		if (strftime(last, sizeof last, "%a, %d %b %Y %H:%M:%S GMT",
		    &tm) == 0)
			last[0] = '\0';
		last_t = t;
	}
	len = strlen(last);
	if (len < size)
		memcpy(out, last, len + 1);
	else if (size > 0)
		out[0] = '\0';
}

/*
 * Adds the keys a CDN purges by: Surrogate-Key (space-separated: Fastly,
 * Varnish xkey) and Cache-Tag (comma-separated: Cloudflare, Akamai).
 */
static void
response_purge_keys(const struct response *r,
    void (*fn)(void *, const char *, const char *), void *arg)
{
	char	 v[sizeof "drfslides " + sizeof r->purge_key];
	size_t	 n = strlen(r->purge_key);

	if (n == 0) {
		fn(arg, "Surrogate-Key", "drfslides");
		fn(arg, "Cache-Tag", "drfslides");
		return;
	}
	/* Without printf: this is every request's path. */
	memcpy(v, "drfslides ", 10);
	memcpy(v + 10, r->purge_key, n + 1);
	fn(arg, "Surrogate-Key", v);
	v[9] = ',';
	fn(arg, "Cache-Tag", v);
}

/* Lists the headers in the order both front ends send them. */
void
response_headers(const struct response *r,
    void (*fn)(void *, const char *, const char *), void *arg)
{
	char	 date[64];

	if (r->content_type != NULL)
		fn(arg, "Content-Type", r->content_type);
	if (r->location != NULL)
		fn(arg, "Location", r->location);
	if (r->allow != NULL)
		fn(arg, "Allow", r->allow);
	if (r->etag[0] != '\0')
		fn(arg, "ETag", r->etag);
	if (r->mtime != 0) {
		response_http_date(r->mtime, date, sizeof date);
		fn(arg, "Last-Modified", date);
	}
	if (r->cache_control != NULL)
		fn(arg, "Cache-Control", r->cache_control);
	if (r->vary != NULL)
		fn(arg, "Vary", r->vary);
	if (r->csp != NULL)
		fn(arg, "Content-Security-Policy", r->csp);
	if (r->accept_ranges != NULL)
		fn(arg, "Accept-Ranges", r->accept_ranges);
	if (r->content_range != NULL)
		fn(arg, "Content-Range", r->content_range);
	if (r->disposition != NULL)
		fn(arg, "Content-Disposition", r->disposition);
	if (r->www_authenticate != NULL)
		fn(arg, "WWW-Authenticate", r->www_authenticate);
	if (r->accel_expires != 0) {
		snprintf(date, sizeof date, "@%lld", (long long)r->accel_expires);
		fn(arg, "X-Accel-Expires", date);
	}
	fn(arg, "X-Content-Type-Options", "nosniff");
	response_purge_keys(r, fn, arg);
}

/* Sets a response body from the response's own buffer. */
static void
response_own_body(struct response *r)
{
	r->body = r->buf.data == NULL ? "" : r->buf.data;
	r->len = r->buf.len;
}

/*
 * Makes an error page: message is the name of its text in the language
 * tables; detail (may be NULL) is shown preformatted. Its language is the
 * reader's (Accept-Language), else the deck's the request is for, else
 * English: so it varies by Accept-Language. Every word in it is escaped.
 */
void
response_error_detail(struct app *a, const struct request *req,
    struct response *r, int status, const char *message, const char *detail)
{
	struct cache_tset	*ts;
	const struct lang_table	*ui;
	const char		*deck_lang[1];
	char			*prefix;

	r->status = status;
	r->content_type = ROUTER_HTML;
	r->cache_control = "no-store";
	r->csp = a->csp;
	r->vary = "Accept-Language";
	deck_lang[0] = r->deck_lang;
	ui = lang_pick(req->accept_language, deck_lang, r->deck_lang != NULL);
	prefix = xasprintf("%s/static/", request_base(req));
	ts = cache_templates(a->cache);
	render_error(cache_tset_templates(ts), status, response_reason(status),
	    lang_text(ui, message), detail, prefix, response_links(a), ui,
	    &r->buf);
	cache_tset_release(ts);
	free(prefix);
	response_own_body(r);
}

/* Makes an error page: message names its text in the language tables. */
void
response_error(struct app *a, const struct request *req, struct response *r,
    int status, const char *message)
{
	response_error_detail(a, req, r, status, message, NULL);
}

/* Answers with a redirect to base + path; the target is built only from validated parts. */
void
response_redirect(struct app *a, const struct request *req, struct response *r,
    int status, const char *target)
{
	r->location = xasprintf("%s%s", request_base(req), target);
	response_error(a, req, r, status, status == 301 ?
	    "e_moved" : "e_elsewhere");
	r->status = status;
}

/*
 * Refuses a document of every page of a deck (print, overview) larger than
 * the cache allows one request to build, with 503 and why; returns 1 if
 * refused.
 */
int
response_whole_refused(struct app *a, const struct request *req,
    struct response *r, const struct cache_deck *cd)
{
	size_t	 limit = cache_whole_limit(a->cache);
	char	*msg;

	if (cd->deck->expanded <= limit)
		return 0;
	/* The figures: its pages' size, and what one request may build. */
	msg = xasprintf("%zu KiB > %zu KiB (--cache-mb / 4)",
	    cd->deck->expanded >> 10, limit >> 10);
	response_error_detail(a, req, r, 503, "e_whole", msg);
	free(msg);
	return 1;
}

/* Serves a blob with its validators, or 304 when the client has it. */
void
response_blob(struct app *a, const struct request *req, struct response *r,
    struct blob *b, const char *type)
{
	r->status = 200;
	r->content_type = type;
	r->blob = b;
	r->body = b->data;
	r->len = b->len;
	memcpy(r->etag, b->etag, sizeof r->etag);
	r->mtime = b->mtime;
	r->cache_control = a->cache_control;
	if (strcmp(type, ROUTER_HTML) == 0)
		r->csp = a->csp;
	if (request_fresh(req, b->etag, b->mtime))
		r->status = 304;
}

/* Wraps a rendered buffer as a response blob (dynamic pages get validators too). */
void
response_buf(struct app *a, const struct request *req, struct response *r,
    struct buf *b, time_t mtime)
{
	response_blob(a, req, r, blob_from_buf(b, mtime), ROUTER_HTML);
}

/* Returns how this app's documents link to each other: served, with the dev section when asked. */
enum render_links
response_links(const struct app *a)
{
	return a->dev ? RENDER_DEV : RENDER_SERVED;
}

/*
 * Reads ?page=@LABEL (form-encoded, as a script's URLSearchParams writes it):
 * 1 with the page that carries the label now in *n, 0 when the value is not
 * a label, -1 when no page carries it.
 */
static int
response_label_query(const struct request *req, const struct deck *d,
    unsigned long *n)
{
	struct buf	 raw = BUF_INIT, label = BUF_INIT;
	const char	*v;
	size_t		 len, i, page;

	if ((v = request_query(req->query, "page", &len)) == NULL ||
	    !((len > 0 && v[0] == '@') || (len > 2 && strncasecmp(v, "%40",
	    3) == 0)))
		return 0;
	for (i = 0; i < len; i++)
		if (v[i] == '+')
			buf_adds(&raw, "%20");
		else
			buf_addc(&raw, v[i]);
	request_decode(&label, raw.data, raw.len);
	page = deck_label_page(d, label.data + 1, label.len - 1);
	buf_free(&raw);
	buf_free(&label);
	*n = page;
	return page < d->npages ? 1 : -1;
}

/* Reads the page a document opens at from ?page=N or ?page=@LABEL, or answers 404. */
int
response_start_page(struct app *a, const struct request *req,
    struct response *r, const struct deck *d, size_t *start)
{
	unsigned long	 n = 0;
	int		 q;

	if ((q = response_label_query(req, d, &n)) == 0)
		q = request_query_page(req->query, &n);
	if (q < 0 || (q == 1 && n >= d->npages && d->npages > 0)) {
		response_error(a, req, r, 404, "e_no_page");
		return -1;
	}
	*start = q == 1 ? n : 0;
	return 0;
}
