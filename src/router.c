/* router.c: the application, and the dispatcher that checks a path and picks its route. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "asset.h"
#include "buf.h"
#include "cache.h"
#include "deck.h"
#include "route.h"
#include "router.h"
#include "util.h"

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

/* Parses a page number written the canonical way: digits, no sign, no leading zero. */
int
router_page_number(const char *s, size_t len, unsigned long *n)
{
	if (len > 1 && s[0] == '0')
		return -1;
	return util_parse_ulong(s, len, 0xffffffffUL, n);
}

/* Finds page=N in a query string; returns 0 if absent, 1 if valid, -1 if malformed. */
int
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

/* Dispatches one request. */
void
router_handle(struct app *a, const struct request *req, struct response *r)
{
	struct cache_deck	*cd = NULL;
	const char		*p, *rest, *slash;
	char			*name = NULL, *err = NULL, *msg;
	char			 namebuf[101];	/* deck_name_valid: at most 100 */
	size_t			 len, namelen, restlen;
	unsigned long		 n;

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
	if (restlen == 0)
		router_entry(a, req, r, cd);
	else if (restlen == 4 && memcmp(rest, "view", 4) == 0)
		router_view(a, req, r, cd);
	else if (restlen == 5 && memcmp(rest, "print", 5) == 0)
		router_print(a, req, r, cd);
	/* Presenting: route_present.c. */
	else if (restlen == 7 && memcmp(rest, "present", 7) == 0)
		router_present(a, req, r, cd);
	else if (restlen == 8 && memcmp(rest, "overview", 8) == 0)
		router_overview(a, req, r, cd);
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
