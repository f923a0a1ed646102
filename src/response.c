/* response.c: what every route answers with: headers, validators, redirects, error pages. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "render.h"
#include "route.h"
#include "router.h"
#include "source.h"
#include "util.h"

/* Names a status code. */
const char *
response_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 206: return "Partial Content";
	case 301: return "Moved Permanently";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 414: return "URI Too Long";
	case 416: return "Range Not Satisfiable";
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
	free(r->dev_notes);
	if (r->file)
		close(r->fd);
	free(r->content_range);
	memset(r, 0, sizeof *r);
}

/* Formats an HTTP date; each thread remembers its last one (pages share an mtime). */
static void
router_http_date(time_t t, char *out, size_t size)
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
		router_http_date(r->mtime, date, sizeof date);
		fn(arg, "Last-Modified", date);
	}
	if (r->cache_control != NULL)
		fn(arg, "Cache-Control", r->cache_control);
	if (r->csp != NULL)
		fn(arg, "Content-Security-Policy", r->csp);
	if (r->accept_ranges != NULL)
		fn(arg, "Accept-Ranges", r->accept_ranges);
	if (r->content_range != NULL)
		fn(arg, "Content-Range", r->content_range);
	if (r->disposition != NULL)
		fn(arg, "Content-Disposition", r->disposition);
	fn(arg, "X-Content-Type-Options", "nosniff");
}

/* Sets a response body from the response's own buffer. */
static void
router_own_body(struct response *r)
{
	r->body = r->buf.data == NULL ? "" : r->buf.data;
	r->len = r->buf.len;
}

/*
 * Returns the mount point to put in front of a path: the web server's
 * setting, but refused whole if it holds anything that is not a plain path
 * byte, so that no header or page can be broken by it.
 */
const char *
router_base(const struct request *req)
{
	const char	*p;

	if (req->base == NULL)
		return "";
	for (p = req->base; *p != '\0'; p++) {
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '"' ||
		    *p == '\'' || *p == '<' || *p == '>' || *p == '\\')
			return "";
	}
	return req->base;
}

/* Makes an error page, with a preformatted detail; every word in it is escaped. */
void
router_error_detail(struct app *a, const struct request *req,
    struct response *r, int status, const char *message, const char *detail)
{
	struct cache_tset	*ts;
	char			*prefix;

	r->status = status;
	r->content_type = ROUTER_HTML;
	r->cache_control = "no-store";
	r->csp = a->csp;
	if (status == 405)
		r->allow = "GET, HEAD";
	prefix = xasprintf("%s/static/", router_base(req));
	ts = cache_templates(a->cache);
	render_error(cache_tset_templates(ts), status, response_reason(status),
	    message, detail, prefix, &r->buf);
	cache_tset_release(ts);
	free(prefix);
	router_own_body(r);
}

/* Makes an error page. */
void
router_error(struct app *a, const struct request *req, struct response *r,
    int status, const char *message)
{
	router_error_detail(a, req, r, status, message, NULL);
}

/*
 * Returns the line an author error names ("file:LINE: ..."), numbered, for
 * the dev server's error page; bytes that are not UTF-8 are shown as '?'.
 */
char *
router_error_line(const char *err, const struct deck_limits *limits)
{
	struct source_iter	 it;
	struct buf		 b = BUF_INIT;
	const char		*colon, *line;
	char			*path, *data, *cause;
	unsigned long		 want, no;
	size_t			 len, i, bad;

	colon = strchr(err, ':');
	if (colon == NULL)
		return NULL;
	i = strspn(colon + 1, "0123456789");
	if (i == 0 || colon[1 + i] != ':' ||
	    util_parse_ulong(colon + 1, i, 0xffffffffUL, &want) != 0)
		return NULL;
	path = xstrndup(err, (size_t)(colon - err));
	if (util_read_file_nofollow(path, limits->max_source, &data, &len,
	    &cause) != 0) {
		free(cause);
		free(path);
		return NULL;
	}
	free(path);
	source_iter_init(&it, data, len);
	while (source_next_line(&it, &line, &i, &no) == 0) {
		if (no != want)
			continue;
		buf_printf(&b, "%5lu | ", no);
		while (i > 0) {
			if (source_valid_utf8(line, i, &bad)) {
				bad = i;
			}
			for (len = 0; len < bad; len++)
				buf_addc(&b, line[len] == '\0' ? '?' : line[len]);
			if (bad < i) {
				buf_addc(&b, '?');
				bad++;
			}
			line += bad;
			i -= bad;
		}
		break;
	}
	free(data);
	if (b.len == 0)
		return NULL;
	return buf_detach(&b, NULL);
}

/* Answers with a redirect to base + path; the target is built only from validated parts. */
void
router_redirect(struct app *a, const struct request *req, struct response *r,
    const char *target)
{
	r->location = xasprintf("%s%s", router_base(req), target);
	router_error(a, req, r, 301, "This page has moved.");
	r->status = 301;
}

/* Returns 1 if an If-None-Match list holds the tag. */
int
router_etag_matches(const char *list, const char *etag)
{
	const char	*p = list, *end;
	size_t		 elen = strlen(etag), n;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		end = p;
		while (*end != '\0' && *end != ',')
			end++;
		n = (size_t)(end - p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == elen && memcmp(p, etag, n) == 0)
			return 1;
		p = end;
	}
	return 0;
}

/* Serves a blob with its validators, or 304 when the client has it. */
void
router_blob(struct app *a, const struct request *req, struct response *r,
    struct blob *b, const char *type)
{
	struct tm	 tm;
	time_t		 since;

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
	if (req->if_none_match != NULL && *req->if_none_match != '\0') {
		if (router_etag_matches(req->if_none_match, b->etag))
			r->status = 304;
	} else if (req->if_modified_since != NULL && b->mtime != 0) {
		memset(&tm, 0, sizeof tm);
		if (strptime(req->if_modified_since, "%a, %d %b %Y %H:%M:%S GMT",
		    &tm) != NULL && (since = timegm(&tm)) != (time_t)-1 &&
		    b->mtime <= since)
			r->status = 304;
	}
}

/* Wraps a rendered buffer as a response blob (dynamic pages get validators too). */
void
router_buf(struct app *a, const struct request *req, struct response *r,
    struct buf *b, time_t mtime)
{
	router_blob(a, req, r, blob_from_buf(b, mtime), ROUTER_HTML);
}
