/* route_oembed.c: oEmbed answers for our decks, and the addresses they check and build. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "cache.h"
#include "html.h"
#include "render.h"
#include "request.h"
#include "route.h"
#include "router.h"
#include "util.h"

#define ROUTE_OEMBED_JSON	"application/json; charset=UTF-8"
#define ROUTE_OEMBED_PATH_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
				"0123456789._~/-"

/* What a checked oEmbed url names: one of our decks, and where its container is. */
struct route_oembed_target {
	struct cache_deck	*cd;
	char			*name;
	const char		*url;		/* the decoded url parameter */
	size_t			 prefix;	/* bytes of url before the deck name */
	unsigned long		 page;
};

/*
 * Returns the length of the origin an absolute URL starts with
 * ("http://host" or "https://host:port", host a DNS name or an address), or
 * 0 when it starts with anything else or the origin is not followed by '/'
 * or the end. *auth is set to where the authority (host[:port]) starts.
 */
static size_t
route_oembed_origin_len(const char *u, size_t *auth)
{
	size_t	 i, h;

	if (strncasecmp(u, "http://", 7) == 0)
		i = 7;
	else if (strncasecmp(u, "https://", 8) == 0)
		i = 8;
	else
		return 0;
	h = strcspn(u + i, "/");
	if (!request_host_valid(u + i, h))
		return 0;
	*auth = i;
	return i + h;
}

/* Returns the length of the host in a valid authority, without its port. */
static size_t
route_oembed_hostlen(const char *a, size_t len)
{
	const char	*end;

	if (len > 0 && a[0] == '[')
		end = memchr(a, ']', len) + 1;
	else if ((end = memchr(a, ':', len)) == NULL)
		end = a + len;
	return (size_t)(end - a);
}

/* Returns 1 if a --public-url value is an origin and a plain path. */
int
route_oembed_public_url_valid(const char *u)
{
	size_t	 o, auth;

	o = route_oembed_origin_len(u, &auth);
	return o > 0 && strspn(u + o, ROUTE_OEMBED_PATH_CHARS) == strlen(u + o);
}

/*
 * Returns the address of the oEmbed answer for a deck's document (suffix ""
 * for the frameset, "view" for the container), or NULL without a public URL.
 */
char *
route_oembed_href(struct app *a, const char *name, const char *suffix)
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
route_oembed_number(const char *q, const char *name)
{
	const char	*v;
	size_t		 len;
	unsigned long	 n;

	v = request_query(q, name, &len);
	if (v == NULL || util_parse_ulong(v, len, 100000, &n) != 0)
		return 0;
	return n;
}

/*
 * Returns where the path after this server's mount point starts in url, or
 * NULL when url is not an address of this server: below --public-url when
 * it is set, else on the Host the request came in on (and its mount point).
 */
static const char *
route_oembed_ours(struct app *a, const struct request *req, const char *u)
{
	const char	*base;
	size_t		 o, auth, blen, hlen;

	if ((o = route_oembed_origin_len(u, &auth)) == 0)
		return NULL;
	if (a->public_url != NULL) {
		blen = strlen(a->public_url);
		if (strncmp(u, a->public_url, blen) != 0 || u[blen] != '/')
			return NULL;
		return u + blen + 1;
	}
	/*
	 * Only the host this request was sent to, never another's. The port
	 * is left out: a web server may pass the Host without it (nginx's
	 * $host), and the name is what vouches.
	 */
	if (req->host == NULL || !request_host_valid(req->host,
	    strlen(req->host)) || (hlen = route_oembed_hostlen(req->host,
	    strlen(req->host))) != route_oembed_hostlen(u + auth, o - auth) ||
	    strncasecmp(u + auth, req->host, hlen) != 0)
		return NULL;
	base = request_base(req);
	blen = strlen(base);
	if (strncmp(u + o, base, blen) != 0 || u[o + blen] != '/')
		return NULL;
	return u + o + blen + 1;
}

/* Checks that url names NAME/ or NAME/view[?page=N] of a deck we serve; fills t. */
static int
route_oembed_target(struct app *a, const struct request *req, const char *u,
    struct route_oembed_target *t)
{
	const char	*rest, *q;
	char		*err = NULL;
	size_t		 plen;
	int		 st;

	if ((rest = route_oembed_ours(a, req, u)) == NULL)
		return -1;
	/* NAME/ or NAME/view: the deck's name, with its course folders, is what comes before. */
	q = strchr(rest, '?');
	plen = q != NULL ? (size_t)(q - rest) : strlen(rest);
	if (plen > 5 && memcmp(rest + plen - 5, "/view", 5) == 0)
		plen -= 5;
	else if (plen > 1 && rest[plen - 1] == '/')
		plen--;
	else
		return -1;
	if (!deck_path_valid(rest, plen))
		return -1;
	t->prefix = (size_t)(rest - u);
	t->name = xstrndup(rest, plen);
	rest = q != NULL ? q : rest + strlen(rest);
	if (*rest == '?') {
		if (request_query_page(rest + 1, &t->page) != 1 ||
		    strchr(rest + 1, '&') != NULL)
			return -1;
	} else if (*rest != '\0')
		return -1;
	st = cache_get(a->cache, t->name, &t->cd, &err);
	free(err);
	if (st != CACHE_OK || (t->page > 0 && t->page >= t->cd->deck->npages))
		return -1;
	return 0;
}

/* Writes the JSON answer for a checked target, the embed sized to fit maxwidth and maxheight. */
static void
route_oembed_json(struct app *a, const struct request *req,
    const struct route_oembed_target *t, struct buf *j)
{
	struct buf	 src = BUF_INIT, frame = BUF_INIT;
	const char	*title = t->cd->deck->title;
	unsigned long	 w, h;

	render_embed_size(t->cd->deck->aspect, route_oembed_number(req->query,
	    "maxwidth"), route_oembed_number(req->query, "maxheight"), &w, &h);
	/* Everything up to the deck name was validated, byte by byte. */
	buf_add(&src, t->url, t->prefix);
	buf_printf(&src, "%s/view", t->name);
	if (t->page > 0)
		buf_printf(&src, "?page=%lu", t->page);
	render_embed(t->cd->deck->title, t->cd->deck->aspect, src.data, src.len,
	    w, h, &frame);
	buf_printf(j, "{\"version\":\"1.0\",\"type\":\"rich\","
	    "\"provider_name\":\"drfslides\",");
	if (a->public_url != NULL) {
		buf_printf(j, "\"provider_url\":");
		html_json_string(j, a->public_url, strlen(a->public_url));
		buf_addc(j, ',');
	}
	buf_printf(j, "\"title\":");
	html_json_string(j, title, strlen(title));
	buf_printf(j, ",\"width\":%lu,\"height\":%lu,\"html\":", w, h);
	html_json_string(j, frame.data, frame.len);
	buf_printf(j, "}\n");
	buf_free(&src);
	buf_free(&frame);
}

/*
 * Answers oembed?url=URL[&format=json][&maxwidth=W][&maxheight=H] for a URL
 * of one of our decks (its frameset or container, with an optional
 * ?page=N). The iframe's address is rebuilt from the validated parts only.
 */
void
route_oembed(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	struct route_oembed_target	 t;
	struct buf			 ub = BUF_INIT, j = BUF_INIT;
	const char			*v;
	size_t				 len;

	(void)arg;
	v = request_query(req->query, "format", &len);
	if (v != NULL && !(len == 4 && memcmp(v, "json", 4) == 0)) {
		response_error(a, req, r, 501, "e_json_only");
		return;
	}
	v = request_query(req->query, "url", &len);
	if (v == NULL || len == 0) {
		response_error(a, req, r, 400, "e_no_url");
		return;
	}
	memset(&t, 0, sizeof t);
	request_decode(&ub, v, len);
	buf_addc(&ub, '\0');
	t.url = ub.data;
	if (strlen(t.url) == ub.len - 1 &&
	    route_oembed_target(a, req, t.url, &t) == 0) {
		route_oembed_json(a, req, &t, &j);
		response_blob(a, req, r, blob_from_buf(&j, 0),
		    ROUTE_OEMBED_JSON);
	} else
		response_error(a, req, r, 404, "e_not_deck");
	cache_deck_release(t.cd);
	free(t.name);
	buf_free(&ub);
}
