/* route_oembed.c: oEmbed answers for our decks, and the addresses they check and build. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "cache.h"
#include "html.h"
#include "route.h"
#include "router.h"
#include "util.h"

#define ROUTER_JSON		"application/json; charset=UTF-8"
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
int
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
char *
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
void
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
