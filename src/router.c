/* router.c: the fixed routes of drfslides, their checks, and the responses they make. */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "asset.h"
#include "buf.h"
#include "cache.h"
#include "expand.h"
#include "html.h"
#include "render.h"
#include "router.h"
#include "source.h"
#include "util.h"

#define ROUTER_MAX_ENTRY	((size_t)1 << 20)
#define ROUTER_HTML		"text/html; charset=UTF-8"
#define ROUTER_JSON		"application/json; charset=UTF-8"

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

/* Content types of the static assets, by extension. */
static const struct {
	const char	*ext;
	const char	*type;
} router_types[] = {
	{ ".css", "text/css; charset=UTF-8" },
	{ ".js", "text/javascript; charset=UTF-8" },
	{ ".html", ROUTER_HTML },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".txt", "text/plain; charset=UTF-8" },
};

static int	 router_public_url_valid(const char *);
static void	 router_file(struct app *, const struct request *,
		    struct response *, const char *, const char *, size_t,
		    const struct asset_type *);

/* Creates the cache and keeps the settings every response needs. */
int
app_create(struct app **out, const struct app_config *cfg, char **cause)
{
	struct cache_config	 cc;
	struct app		*a;
	size_t			 n;

	memset(&cc, 0, sizeof cc);
	cc.decks_dir = cfg->decks_dir;
	cc.templates_dir = cfg->templates_dir;
	cc.max_bytes = cfg->cache_bytes;
	cc.stat_interval_ms = cfg->stat_interval_ms;
	cc.limits = cfg->limits;
	cc.log = cfg->log;
	cc.log_arg = cfg->log_arg;
	if (cfg->public_url != NULL && *cfg->public_url != '\0' &&
	    !router_public_url_valid(cfg->public_url)) {
		*cause = xasprintf("--public-url: '%s' is not an http or https "
		    "URL of letters, digits, '.', '-', an optional port and a "
		    "path", cfg->public_url);
		return -1;
	}
	a = xcalloc(1, sizeof *a);
	if (cache_create(&a->cache, &cc, cause) != 0) {
		free(a);
		return -1;
	}
	/*
	 * The static directory is the administrator's and may be a symbolic
	 * link (a packaged layout); resolve it once, since files are opened
	 * below it without following links, like a deck's assets.
	 */
	if ((a->static_dir = realpath(cfg->static_dir, NULL)) == NULL)
		a->static_dir = xstrdup(cfg->static_dir);
	a->decks_dir = xstrdup(cfg->decks_dir);
	a->csp = xasprintf("frame-ancestors %s", cfg->frame_ancestors);
	a->cache_control = xstrdup(cfg->cache_control);
	if (cfg->public_url != NULL && *cfg->public_url != '\0') {
		a->public_url = xstrdup(cfg->public_url);
		n = strlen(a->public_url);
		while (n > 0 && a->public_url[n - 1] == '/')
			a->public_url[--n] = '\0';
	}
	a->dev = cfg->dev;
	a->limits = cfg->limits;
	*out = a;
	return 0;
}

/* Frees the application. */
void
app_free(struct app *a)
{
	if (a == NULL)
		return;
	cache_free(a->cache);
	free(a->static_dir);
	free(a->decks_dir);
	free(a->csp);
	free(a->cache_control);
	free(a->public_url);
	free(a);
}

/* Returns the application's cache. */
struct cache *
app_cache(struct app *a)
{
	return a->cache;
}

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

/* Decodes %XX escapes; the result may hold NUL bytes, which the router then refuses. */
void
router_decode(struct buf *out, const char *s, size_t len)
{
	size_t	 i, run = 0;
	int	 hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] != '%' || i + 2 >= len)
			continue;
		if ((hi = util_hex(s[i + 1])) < 0 ||
		    (lo = util_hex(s[i + 2])) < 0)
			continue;
		buf_add(out, s + run, i - run);
		buf_addc(out, (char)(hi * 16 + lo));
		i += 2;
		run = i + 1;
	}
	buf_add(out, s + run, len - run);
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
static const char *
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
static void
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
static void
router_error(struct app *a, const struct request *req, struct response *r,
    int status, const char *message)
{
	router_error_detail(a, req, r, status, message, NULL);
}

/*
 * Returns the line an author error names ("file:LINE: ..."), numbered, for
 * the dev server's error page; bytes that are not UTF-8 are shown as '?'.
 */
static char *
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
static void
router_redirect(struct app *a, const struct request *req, struct response *r,
    const char *target)
{
	r->location = xasprintf("%s%s", router_base(req), target);
	router_error(a, req, r, 301, "This page has moved.");
	r->status = 301;
}

/* Returns 1 if an If-None-Match list holds the tag. */
static int
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
static void
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
static void
router_buf(struct app *a, const struct request *req, struct response *r,
    struct buf *b, time_t mtime)
{
	router_blob(a, req, r, blob_from_buf(b, mtime), ROUTER_HTML);
}

/* Parses a page number written the canonical way: digits, no sign, no leading zero. */
static int
router_page_number(const char *s, size_t len, unsigned long *n)
{
	if (len > 1 && s[0] == '0')
		return -1;
	return util_parse_ulong(s, len, 0xffffffffUL, n);
}

/* Finds page=N in a query string; returns 0 if absent, 1 if valid, -1 if malformed. */
static int
router_query_page(const char *q, unsigned long *n)
{
	const char	*p, *end;

	if (q == NULL)
		return 0;
	for (p = q; *p != '\0'; p = *end == '\0' ? end : end + 1) {
		end = strchr(p, '&');
		if (end == NULL)
			end = p + strlen(p);
		if (strncmp(p, "page=", 5) == 0)
			return router_page_number(p + 5, (size_t)(end - p - 5),
			    n) == 0 ? 1 : -1;
	}
	return 0;
}

/* Serves a file from the static directory: one flat name of a known type. */
static void
router_static(struct app *a, const struct request *req, struct response *r,
    const char *name, size_t len)
{
	struct asset_type	 t;
	size_t			 i, elen;

	memset(&t, 0, sizeof t);
	for (i = 0; i < sizeof router_types / sizeof router_types[0]; i++) {
		elen = strlen(router_types[i].ext);
		if (len > elen && memcmp(name + len - elen,
		    router_types[i].ext, elen) == 0)
			t.type = router_types[i].type;
	}
	if (t.type == NULL || memchr(name, '/', len) != NULL) {
		router_error(a, req, r, 404, "There is no such file.");
		return;
	}
	router_file(a, req, r, a->static_dir, name, len, &t);
}

/* Serves the index of every deck. */
static void
router_index(struct app *a, const struct request *req, struct response *r)
{
	struct cache_deck	**cds;
	const struct deck	**decks;
	struct cache_tset	*ts;
	struct buf		 b = BUF_INIT;
	struct stat		 st;
	char			**names, *err;
	size_t			 n, i, ok = 0;
	time_t			 mtime;

	/* The listing changes with the directory, the decks and the templates. */
	mtime = cache_mtime(a->cache, NULL);
	if (stat(a->decks_dir, &st) == 0 && st.st_mtime > mtime)
		mtime = st.st_mtime;
	n = cache_list(a->cache, &names);
	cds = xcalloc(n + 1, sizeof *cds);
	decks = xcalloc(n + 1, sizeof *decks);
	for (i = 0; i < n; i++) {
		if (cache_get(a->cache, names[i], &cds[ok], &err) == CACHE_OK) {
			decks[ok] = cds[ok]->deck;
			if (cache_mtime(a->cache, cds[ok]) > mtime)
				mtime = cache_mtime(a->cache, cds[ok]);
			ok++;
		}
		free(err);
		free(names[i]);
	}
	free(names);
	ts = cache_templates(a->cache);
	render_index_at(cache_tset_templates(ts), decks, ok, a->public_url, &b);
	cache_tset_release(ts);
	for (i = 0; i < ok; i++)
		cache_deck_release(cds[i]);
	free(cds);
	free(decks);
	router_buf(a, req, r, &b, mtime);
}

/* Serves a glossary entry, or the friendly page that says there is none. */
static void
router_glossary(struct app *a, const struct request *req, struct response *r,
    struct cache_deck *cd, const char *file, size_t len)
{
	struct buf	 b = BUF_INIT;
	struct stat	 st;
	char		*term, *path, *frag = NULL, *cause;
	size_t		 fraglen = 0;
	time_t		 mtime;
	int		 found = 0;

	if (len <= 5 || memcmp(file + len - 5, ".html", 5) != 0 ||
	    !expand_term_valid(file, len - 5) ||
	    memchr(file, '/', len) != NULL) {
		router_error(a, req, r, 404, "There is no such glossary entry.");
		return;
	}
	term = xstrndup(file, len - 5);
	path = xasprintf("%s/glossary/%s.html", a->decks_dir, term);
	if (util_read_file_nofollow(path, ROUTER_MAX_ENTRY, &frag, &fraglen,
	    &cause) == 0)
		found = 1;
	else
		free(cause);
	mtime = cache_mtime(a->cache, cd);
	if (found && stat(path, &st) == 0 && st.st_mtime > mtime)
		mtime = st.st_mtime;
	free(path);
	render_glossary(cache_tset_templates(cd->ts), cd->deck, term,
	    found ? frag : NULL, fraglen, RENDER_SERVED, &b);
	free(frag);
	free(term);
	router_buf(a, req, r, &b, mtime);
	if (!found) {
		r->status = 404;
		r->cache_control = "no-store";
		r->etag[0] = '\0';
		r->mtime = 0;
	}
}

/* Returns 1 if a decoded path holds nothing a file name could abuse. */
static int
router_path_safe(const char *p, size_t len)
{
	size_t	 i, seg;

	if (len == 0 || p[0] != '/')
		return 0;
	for (i = 0; i < len; i++) {
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\')
			return 0;
	}
	for (i = 0; i < len; i = seg) {
		seg = i + 1;
		while (seg < len && p[seg] != '/')
			seg++;
		/* A segment of "." or ".." never reaches the file system. */
		if ((seg - i == 2 && p[i + 1] == '.') ||
		    (seg - i == 3 && p[i + 1] == '.' && p[i + 2] == '.'))
			return 0;
	}
	return 1;
}

/* Tries "/NAMEN.html", the 2001 static names; returns 1 if it redirected. */
static int
router_compat(struct app *a, const struct request *req, struct response *r,
    const char *s, size_t len)
{
	struct cache_deck	*cd;
	unsigned long		 n;
	size_t			 end, i;
	char			*name, *err, *target;
	int			 st;

	if (len <= 5 || memcmp(s + len - 5, ".html", 5) != 0)
		return 0;
	end = len - 5;
	/* The longest deck name that exists wins: "lec13.html" may be lec1 page 3. */
	for (i = end - 1; i >= 1 && s[i] >= '0' && s[i] <= '9'; i--) {
		if (util_parse_ulong(s + i, end - i, 0xffffffffUL, &n) != 0)
			continue;
		if (!deck_name_valid(s, i))
			continue;
		name = xstrndup(s, i);
		st = cache_get(a->cache, name, &cd, &err);
		free(err);
		if (st == CACHE_NOT_FOUND) {
			free(name);
			continue;
		}
		cache_deck_release(cd);
		target = xasprintf("/%s/?page=%lu", name, n);
		router_redirect(a, req, r, target);
		free(target);
		free(name);
		return 1;
	}
	return 0;
}

/* Lists a deck's diagnostics, one per line, for the dev server's banner. */
static char *
router_dev_notes(const struct deck *d)
{
	struct buf	 b = BUF_INIT;
	char		*s;
	size_t		 i;

	for (i = 0; i < d->diags.n; i++) {
		s = diag_format(d->file, &d->diags.v[i]);
		buf_printf(&b, "%s\n", s);
		free(s);
	}
	return buf_detach(&b, NULL);
}

/*
 * --- The single-document view, the print view and oEmbed ---
 */

#define ROUTER_URL_PATH_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
				"0123456789._~/-"
#define ROUTER_EMBED_WIDTH	960
#define ROUTER_EMBED_HEIGHT	600

/*
 * Returns the length of the origin an absolute URL starts with
 * ("http://host" or "https://host:port", host of letters, digits, '.' and
 * '-'), or 0 when it starts with anything else or the origin is not
 * followed by '/' or the end.
 */
static size_t
router_origin_len(const char *u)
{
	size_t		 i, h, d;
	unsigned long	 port;

	if (strncasecmp(u, "http://", 7) == 0)
		i = 7;
	else if (strncasecmp(u, "https://", 8) == 0)
		i = 8;
	else
		return 0;
	h = strspn(u + i, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789.-");
	if (h == 0 || h > 253 || u[i] == '.' || u[i] == '-')
		return 0;
	i += h;
	if (u[i] == ':') {
		d = strspn(u + i + 1, "0123456789");
		if (d == 0 || d > 5 || util_parse_ulong(u + i + 1, d, 65535,
		    &port) != 0 || port == 0)
			return 0;
		i += 1 + d;
	}
	if (u[i] != '\0' && u[i] != '/')
		return 0;
	return i;
}

/* Returns 1 if a --public-url value is an origin and a plain path. */
static int
router_public_url_valid(const char *u)
{
	size_t	 o;

	o = router_origin_len(u);
	return o > 0 && strspn(u + o, ROUTER_URL_PATH_CHARS) == strlen(u + o);
}

/* Finds name=VALUE in a query string; returns VALUE (raw) and its length, or NULL. */
static const char *
router_query_value(const char *q, const char *name, size_t *len)
{
	const char	*p, *end;
	size_t		 nlen = strlen(name);

	if (q == NULL)
		return NULL;
	for (p = q; *p != '\0'; p = *end == '\0' ? end : end + 1) {
		end = strchr(p, '&');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) > nlen && strncmp(p, name, nlen) == 0 &&
		    p[nlen] == '=') {
			*len = (size_t)(end - p) - nlen - 1;
			return p + nlen + 1;
		}
	}
	return NULL;
}

/*
 * Returns the address of the oEmbed answer for a deck's document (suffix ""
 * for the frameset, "view" for the container), or NULL without a public URL.
 */
static char *
router_oembed_href(struct app *a, const char *name, const char *suffix)
{
	struct buf	 b = BUF_INIT;
	char		*page;

	if (a->public_url == NULL)
		return NULL;
	page = xasprintf("%s/%s/%s", a->public_url, name, suffix);
	buf_printf(&b, "%s/oembed?url=", a->public_url);
	html_url_component(&b, page, strlen(page));
	buf_printf(&b, "&format=json");
	buf_addc(&b, '\0');
	free(page);
	return buf_detach(&b, NULL);
}

/* Serves the frameset with its oEmbed discovery link (only with a public URL). */
static void
router_entry_oembed(struct app *a, const struct request *req,
    struct response *r, struct cache_deck *cd, size_t start)
{
	struct buf	 b = BUF_INIT;
	char		*href;

	href = router_oembed_href(a, cd->deck->name, "");
	render_entry_oembed(cache_tset_templates(cd->ts), cd->deck, start, href,
	    RENDER_SERVED, &b);
	free(href);
	router_buf(a, req, r, &b, cache_mtime(a->cache, cd));
}

/* Serves the single-document container, NAME/view[?page=N]. */
static void
router_view(struct app *a, const struct request *req, struct response *r,
    struct cache_deck *cd)
{
	struct buf	 b = BUF_INIT;
	unsigned long	 n = 0;
	char		*href;
	int		 q;

	q = router_query_page(req->query, &n);
	if (q < 0 || (q == 1 && n >= cd->deck->npages && cd->deck->npages > 0)) {
		router_error(a, req, r, 404, "There is no such page.");
		return;
	}
	href = router_oembed_href(a, cd->deck->name, "view");
	render_view(cache_tset_templates(cd->ts), cd->deck, q == 1 ? n : 0,
	    href, &b);
	free(href);
	router_buf(a, req, r, &b, cache_mtime(a->cache, cd));
}

/* Serves every page of a deck with its glossary entries, NAME/print. */
static void
router_print(struct app *a, const struct request *req, struct response *r,
    struct cache_deck *cd)
{
	const struct deck	*d = cd->deck;
	struct render_gloss	*g;
	struct buf		 b = BUF_INIT;
	struct stat		 st;
	char			*path, *cause, **frags;
	size_t			 i, ng = 0;
	time_t			 mtime = cache_mtime(a->cache, cd);

	g = xcalloc(d->nterms + 1, sizeof *g);
	frags = xcalloc(d->nterms + 1, sizeof *frags);
	for (i = 0; i < d->nterms; i++) {
		/* Terms were checked by the expander; check again, it is a path. */
		if (!expand_term_valid(d->terms[i].term,
		    strlen(d->terms[i].term)))
			continue;
		path = xasprintf("%s/glossary/%s.html", a->decks_dir,
		    d->terms[i].term);
		if (util_read_file_nofollow(path, ROUTER_MAX_ENTRY, &frags[ng],
		    &g[ng].len, &cause) == 0) {
			g[ng].term = d->terms[i].term;
			g[ng].html = frags[ng];
			ng++;
			if (stat(path, &st) == 0 && st.st_mtime > mtime)
				mtime = st.st_mtime;
		} else
			free(cause);
		free(path);
	}
	render_print(cache_tset_templates(cd->ts), d, g, ng, &b);
	for (i = 0; i < ng; i++)
		free(frags[i]);
	free(frags);
	free(g);
	router_buf(a, req, r, &b, mtime);
}

/* Reads an optional positive number parameter (maxwidth, maxheight); 0 if absent or bad. */
static unsigned long
router_query_number(const char *q, const char *name)
{
	const char	*v;
	size_t		 len;
	unsigned long	 n;

	v = router_query_value(q, name, &len);
	if (v == NULL || util_parse_ulong(v, len, 100000, &n) != 0)
		return 0;
	return n;
}

/*
 * Answers oembed?url=URL[&format=json][&maxwidth=W][&maxheight=H] for a URL
 * of one of our decks (its frameset or container, with an optional
 * ?page=N). The iframe's address is rebuilt from the validated parts only.
 */
static void
router_oembed(struct app *a, const struct request *req, struct response *r)
{
	struct cache_deck	*cd = NULL;
	struct buf		 ub = BUF_INIT, src = BUF_INIT, frame = BUF_INIT;
	struct buf		 j = BUF_INIT;
	const char		*v, *u, *rest, *slash, *base;
	char			*name = NULL, *err = NULL;
	size_t			 len, o, blen, nlen;
	unsigned long		 page = 0, w, h, mw, mh;

	v = router_query_value(req->query, "format", &len);
	if (v != NULL && !(len == 4 && memcmp(v, "json", 4) == 0)) {
		router_error(a, req, r, 501, "Only the JSON format is offered.");
		return;
	}
	v = router_query_value(req->query, "url", &len);
	if (v == NULL || len == 0) {
		router_error(a, req, r, 400, "The url parameter is missing.");
		return;
	}
	router_decode(&ub, v, len);
	buf_addc(&ub, '\0');
	u = ub.data;
	if (strlen(u) != ub.len - 1 || (o = router_origin_len(u)) == 0)
		goto notours;
	/* The path: the mount point, then NAME/ or NAME/view, then ?page=N. */
	if (a->public_url != NULL) {
		blen = strlen(a->public_url);
		if (strncmp(u, a->public_url, blen) != 0 || u[blen] != '/')
			goto notours;
		rest = u + blen + 1;
	} else {
		base = req->base == NULL ? "" : req->base;
		blen = strlen(base);
		if (strncmp(u + o, base, blen) != 0 || u[o + blen] != '/')
			goto notours;
		rest = u + o + blen + 1;
	}
	slash = strchr(rest, '/');
	if (slash == NULL || !deck_name_valid(rest, (size_t)(slash - rest)))
		goto notours;
	nlen = (size_t)(slash - rest);
	name = xstrndup(rest, nlen);
	rest = slash + 1;
	if (strncmp(rest, "view", 4) == 0)
		rest += 4;
	if (*rest == '?') {
		if (router_query_page(rest + 1, &page) != 1 ||
		    strchr(rest + 1, '&') != NULL)
			goto notours;
	} else if (*rest != '\0')
		goto notours;
	if (cache_get(a->cache, name, &cd, &err) != CACHE_OK ||
	    (page > 0 && page >= cd->deck->npages))
		goto notours;

	w = ROUTER_EMBED_WIDTH;
	h = ROUTER_EMBED_HEIGHT;
	if ((mw = router_query_number(req->query, "maxwidth")) > 0 && mw < w) {
		w = mw;
		h = w * ROUTER_EMBED_HEIGHT / ROUTER_EMBED_WIDTH;
	}
	if ((mh = router_query_number(req->query, "maxheight")) > 0 && mh < h) {
		h = mh;
		w = h * ROUTER_EMBED_WIDTH / ROUTER_EMBED_HEIGHT;
	}
	/* Everything up to the deck name was validated above, byte by byte. */
	buf_add(&src, u, (size_t)(slash - nlen - u));
	buf_printf(&src, "%s/view", name);
	if (page > 0)
		buf_printf(&src, "?page=%lu", page);
	buf_printf(&frame, "<iframe src=\"");
	html_text(&frame, src.data, src.len);
	buf_printf(&frame, "\" title=\"");
	html_texts(&frame, cd->deck->title);
	buf_printf(&frame, "\" width=\"%lu\" height=\"%lu\" "
	    "style=\"border:0;max-width:100%%\" allowfullscreen></iframe>", w, h);
	buf_printf(&j, "{\"version\":\"1.0\",\"type\":\"rich\","
	    "\"provider_name\":\"drfslides\",");
	if (a->public_url != NULL) {
		buf_printf(&j, "\"provider_url\":");
		html_json_string(&j, a->public_url, strlen(a->public_url));
		buf_addc(&j, ',');
	}
	buf_printf(&j, "\"title\":");
	html_json_string(&j, cd->deck->title, strlen(cd->deck->title));
	buf_printf(&j, ",\"width\":%lu,\"height\":%lu,\"html\":", w, h);
	html_json_string(&j, frame.data, frame.len);
	buf_printf(&j, "}\n");
	router_blob(a, req, r, blob_from_buf(&j, 0), ROUTER_JSON);
	goto done;
notours:
	router_error(a, req, r, 404, "That address is not a deck served here.");
done:
	cache_deck_release(cd);
	buf_free(&ub);
	buf_free(&src);
	buf_free(&frame);
	free(name);
	free(err);
}

/*
 * --- End of the view, print and oEmbed routes ---
 */

/*
 * --- A deck's assets: NAME/PATH from the folder NAME/ beside NAME.drf ---
 */

/* Says whether a path is "/NAME/PATH" with PATH an asset path and not a route. */
int
router_asset_path(const char *p, size_t len)
{
	const char	*slash;

	if (len < 4 || p[0] != '/')
		return 0;
	slash = memchr(p + 1, '/', len - 1);
	if (slash == NULL || !deck_name_valid(p + 1, (size_t)(slash - p - 1)))
		return 0;
	len -= (size_t)(slash + 1 - p);
	return !asset_is_route(slash + 1, len) &&
	    asset_path_valid(slash + 1, len);
}

/* Returns 1 if the client's copy of an asset is current (If-None-Match, If-Modified-Since). */
static int
router_asset_fresh(const struct request *req, const char *etag, time_t mtime)
{
	struct tm	 tm;
	time_t		 since;

	if (req->if_none_match != NULL && *req->if_none_match != '\0')
		return router_etag_matches(req->if_none_match, etag);
	if (req->if_modified_since == NULL)
		return 0;
	memset(&tm, 0, sizeof tm);
	return strptime(req->if_modified_since, "%a, %d %b %Y %H:%M:%S GMT",
	    &tm) != NULL && (since = timegm(&tm)) != (time_t)-1 &&
	    mtime <= since;
}

/*
 * Serves a file below dir (opened by the asset rules: no link is followed)
 * from an open descriptor, never read here: the front end streams it. A
 * single byte range of a GET gets 206, one past the end 416.
 */
static void
router_file(struct app *a, const struct request *req, struct response *r,
    const char *dir, const char *rel, size_t len, const struct asset_type *t)
{
	struct stat		 st;
	char			*cause, etag[sizeof r->etag];
	off_t			 start = 0, n;
	int			 fd;
	enum asset_range	 range = ASSET_RANGE_NONE;

	if (asset_open(dir, rel, len, &fd, &st, &cause) != 0) {
		free(cause);
		router_error(a, req, r, 404, "There is no such file.");
		return;
	}
	asset_etag(&st, etag, sizeof etag);
	n = st.st_size;
	/* Range only for GET, and only when If-Range (if any) names this version. */
	if (strcmp(req->method, "GET") == 0 && (req->if_range == NULL ||
	    strcmp(req->if_range, etag) == 0))
		range = asset_range(req->range, st.st_size, &start, &n);
	if (range == ASSET_RANGE_UNSATISFIABLE &&
	    !router_asset_fresh(req, etag, st.st_mtime)) {
		close(fd);
		router_error(a, req, r, 416, "The requested range is not "
		    "within the file.");
		r->content_range = xasprintf("bytes */%lld",
		    (long long)st.st_size);
		return;
	}
	r->status = 200;
	r->content_type = t->type;
	r->csp = t->csp;
	r->disposition = t->attachment ? "attachment" : NULL;
	r->accept_ranges = "bytes";
	r->cache_control = a->cache_control;
	memcpy(r->etag, etag, sizeof r->etag);
	r->mtime = st.st_mtime;
	if (router_asset_fresh(req, etag, st.st_mtime)) {
		close(fd);
		r->status = 304;
		return;
	}
	r->file = 1;
	r->fd = fd;
	r->offset = 0;
	r->len = (size_t)st.st_size;
	if (range == ASSET_RANGE_OK) {
		r->status = 206;
		r->offset = start;
		r->len = (size_t)n;
		r->content_range = xasprintf("bytes %lld-%lld/%lld",
		    (long long)start, (long long)(start + n - 1),
		    (long long)st.st_size);
	}
}

/* Serves a deck's asset from the deck's folder, typed by its extension. */
static void
router_asset(struct app *a, const struct request *req, struct response *r,
    const char *name, const char *rel, size_t len)
{
	struct asset_type	 t;
	char			*dir;

	asset_type(rel, len, &t);
	dir = xasprintf("%s/%s", a->decks_dir, name);
	router_file(a, req, r, dir, rel, len, &t);
	free(dir);
}

/*
 * --- End of the assets ---
 */

/* Dispatches one request. */
void
router_handle(struct app *a, const struct request *req, struct response *r)
{
	struct cache_deck	*cd = NULL;
	struct buf		 b = BUF_INIT;
	const char		*p, *rest, *slash;
	char			*name = NULL, *err = NULL, *msg;
	char			 namebuf[101];	/* deck_name_valid: at most 100 */
	size_t			 len, namelen, restlen;
	unsigned long		 n;
	int			 q;

	memset(r, 0, sizeof *r);
	if (req->urilen > ROUTER_MAX_URI) {
		router_error(a, req, r, 414, "The address is too long.");
		goto done;
	}
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
		router_error(a, req, r, 405, "Only GET and HEAD are allowed.");
		goto done;
	}
	p = req->path;
	len = req->pathlen;
	if (len == 0) {
		/* The mount point itself: relative links need its trailing slash. */
		if (*router_base(req) != '\0') {
			router_redirect(a, req, r, "/");
			goto done;
		}
		p = "/";
		len = 1;
	}
	if (!router_path_safe(p, len)) {
		router_error(a, req, r, 400, "The address is not valid.");
		goto done;
	}
	if (len == 1) {
		router_index(a, req, r);
		goto done;
	}
	if (len > 8 && memcmp(p, "/static/", 8) == 0) {
		router_static(a, req, r, p + 8, len - 8);
		goto done;
	}
	if (len == 7 && memcmp(p, "/oembed", 7) == 0) {
		router_oembed(a, req, r);
		goto done;
	}
	p++;
	len--;
	slash = memchr(p, '/', len);
	namelen = slash == NULL ? len : (size_t)(slash - p);
	if (slash == NULL && router_compat(a, req, r, p, len))
		goto done;
	if (!deck_name_valid(p, namelen)) {
		router_error(a, req, r, 404, "There is no page at this address.");
		goto done;
	}
	memcpy(namebuf, p, namelen);	/* no allocation per request */
	namebuf[namelen] = '\0';
	name = namebuf;
	switch (cache_get(a->cache, name, &cd, &err)) {
	case CACHE_NOT_FOUND:
		msg = xasprintf("There is no deck named \"%s\".", name);
		router_error(a, req, r, 404, msg);
		free(msg);
		goto done;
	case CACHE_BROKEN:
		if (!a->dev) {
			router_error(a, req, r, 500, "This deck has errors and "
			    "cannot be shown; the server log names them.");
			goto done;
		}
		/* FALLTHROUGH */
	case CACHE_OK:
		/* The author, not the last good version, is what the dev server shows. */
		if (a->dev && err != NULL) {
			msg = router_error_line(err, &a->limits);
			router_error_detail(a, req, r, 500, err, msg);
			free(msg);
			goto done;
		}
		break;
	}
	if (slash == NULL) {
		msg = xasprintf("/%s/", name);
		router_redirect(a, req, r, msg);
		free(msg);
		goto done;
	}
	rest = slash + 1;
	restlen = len - namelen - 1;
	if (restlen == 0) {
		q = router_query_page(req->query, &n);
		if (q < 0 || (q == 1 && n >= cd->deck->npages &&
		    cd->deck->npages > 0)) {
			router_error(a, req, r, 404, "There is no such page.");
			goto done;
		}
		if (a->public_url != NULL)
			router_entry_oembed(a, req, r, cd, q == 1 ? n : 0);
		else if (q == 0 || n == 0) {
			router_blob(a, req, r, cache_entry(a->cache, cd),
			    ROUTER_HTML);
		} else {
			render_entry(cache_tset_templates(cd->ts), cd->deck, n,
			    RENDER_SERVED, &b);
			router_buf(a, req, r, &b, cache_mtime(a->cache, cd));
		}
	} else if (restlen == 4 && memcmp(rest, "view", 4) == 0)
		router_view(a, req, r, cd);
	else if (restlen == 5 && memcmp(rest, "print", 5) == 0)
		router_print(a, req, r, cd);
	else if (restlen == 7 && memcmp(rest, "display", 7) == 0)
		router_blob(a, req, r, cache_display(a->cache, cd), ROUTER_HTML);
	else if (restlen > 9 && memcmp(rest, "glossary/", 9) == 0)
		router_glossary(a, req, r, cd, rest + 9, restlen - 9);
	else if (router_page_number(rest, restlen, &n) == 0 &&
	    n < cd->deck->npages)
		router_blob(a, req, r, cache_page(a->cache, cd, n), ROUTER_HTML);
	else if (!asset_is_route(rest, restlen) &&
	    asset_path_valid(rest, restlen))
		router_asset(a, req, r, name, rest, restlen);
	else
		router_error(a, req, r, 404, "There is no such page.");
	if (a->dev && r->status == 200 && cd->deck->diags.n > 0)
		r->dev_notes = router_dev_notes(cd->deck);
done:
	r->send_body = strcmp(req->method, "HEAD") != 0 && r->status != 304;
	if (r->status == 304)
		r->len = 0;
	cache_deck_release(cd);
	free(err);
}
