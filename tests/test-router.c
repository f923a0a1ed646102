/* test-router.c: routes, statuses, headers and bodies of the router, without any server. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "route_table.h"
#include "router.h"
#include "util.h"
#include "tap.h"
#include "fixture.h"

#define HTML		"text/html; charset=UTF-8"
#define BAD_ADDRESS	"The address is not valid."

static struct fixture	 fx;
static struct app	*app;

/* One GET and what it must answer: the status and a piece of the body. */
struct answer {
	const char	*path;
	const char	*query;
	int		 status;
	const char	*text;
	const char	*desc;
};

/* Answers a request made with fx_request (and changed since); the response in r. */
static int
handle(struct request *req, struct response *r)
{
	router_handle(app, req, r);
	return r->status;
}

/* Answers one request with its validators; the response in r. */
static int
get(struct response *r, const char *method, const char *path,
    const char *query, const char *inm, const char *ims)
{
	struct request	 req;

	fx_request(&req, method, path, query);
	req.if_none_match = inm;
	req.if_modified_since = ims;
	return handle(&req, r);
}

/* Returns 1 if an ETag has the router's form: a quoted 16-digit hex hash. */
static int
etag_form(const char *e)
{
	size_t	 i;

	if (strlen(e) != 18 || e[0] != '"' || e[17] != '"')
		return 0;
	for (i = 1; i < 17; i++)
		if (!isxdigit((unsigned char)e[i]))
			return 0;
	return 1;
}

/* Collects headers as "Name: value\n". */
static void
collect(void *arg, const char *name, const char *value)
{
	buf_printf(arg, "%s: %s\n", name, value);
}

/* Returns the header lines a response sends, in h (which the caller frees). */
static const char *
headers(const struct response *r, struct buf *h)
{
	buf_reset(h);
	buf_adds(h, "");
	response_headers(r, collect, h);
	return h->data;
}

/*
 * Checks one GET: its status, a piece of its body, and the headers its kind
 * of answer must have (an error page is HTML that is never stored; a page
 * has its validators in the router's form).
 */
static void
answers(const struct answer *a)
{
	struct response	 r;
	int		 good;

	get(&r, "GET", a->path, a->query, NULL, NULL);
	good = r.status == a->status && r.body != NULL &&
	    r.content_type != NULL &&
	    memmem(r.body, r.len, a->text, strlen(a->text)) != NULL;
	if (good && a->status >= 400)
		good = strcmp(r.content_type, HTML) == 0 &&
		    r.cache_control != NULL &&
		    strcmp(r.cache_control, "no-store") == 0 && r.etag[0] == '\0';
	else if (good)
		good = etag_form(r.etag) && r.mtime != 0;
	ok(good, "%s", a->desc);
	if (!good)
		printf("#   status %d, type %s, ETag %s, %zu bytes: %.*s\n",
		    r.status, r.content_type != NULL ? r.content_type : "(none)",
		    r.etag, r.len, r.body != NULL ? (int)(r.len < 300 ? r.len : 300) : 0,
		    r.body != NULL ? r.body : "");
	response_free(&r);
}

/* Checks every row of a table of answers. */
static void
answers_all(const struct answer *a, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		answers(&a[i]);
}

#define answers_table(a)	answers_all((a), sizeof(a) / sizeof((a)[0]))

/* The index: the decks by their titles, as UTF-8 HTML with validators. */
static void
test_index(void)
{
	static const struct answer a = { "/", NULL, 200, "Lecture", "the index answers" };
	struct response	 r;

	answers(&a);
	get(&r, "GET", "/", NULL, NULL, NULL);
	has_str(r.body, "<a href=\"lec/\">Lecture</a>", "the index links a deck by its title");
	has_str(r.body, "Lecture", "the index names a deck by its title");
	is_str(r.content_type, HTML, "HTML is UTF-8");
	response_free(&r);
}

/* A deck's pages, frameset and display frame, and the 404 pages of what is not there. */
static void
test_pages(void)
{
	static const struct answer pages[] = {
		{ "/lec/", NULL, 200, "<frameset", "the entry page answers" },
		{ "/lec/0", NULL, 200, "data-page=\"0\"", "page 0 answers" },
		{ "/lec/2", NULL, 200, "data-page=\"2\"", "the last page answers" },
		{ "/lec/3", NULL, 404, "There is no such page.", "the page after the last is 404" },
		{ "/lec/-1", NULL, 404, "There is no such file.", "a negative page is 404" },
		{ "/lec/+1", NULL, 404, "There is no such page.", "a signed page is 404" },
		{ "/lec/007", NULL, 404, "There is no such page.", "a page with leading zeros is 404" },
		{ "/lec/0x1", NULL, 404, "There is no such file.", "a hex page is 404" },
		{ "/lec/1e0", NULL, 404, "There is no such file.", "an exponent page is 404" },
		{ "/lec/1abc", NULL, 404, "There is no such file.", "a page with letters is 404" },
		{ "/lec/99999999999999999999", NULL, 404, "There is no such page.",
		    "a page number past any integer is 404" },
		{ "/lec/display", NULL, 200, "class=\"display\"", "the display frame answers" },
		{ "/nosuch/", NULL, 404, "There is no deck named:</p>\n<pre class=\"detail\">nosuch</pre>",
		    "a missing deck is 404" },
		{ "/lec/", "page=2", 200, "src=\"2\"", "the entry page takes ?page" },
		{ "/lec/", "page=2", 200, "<frame name=\"slide\" src=\"2\"",
		    "the frameset starts at the page asked for" },
		{ "/lec/", "page=3", 404, "There is no such page.", "?page past the end is 404" },
		{ "/lec/", "page=x", 404, "There is no such page.", "a malformed ?page is 404" },
		{ "/nosuch3.html", NULL, 404, "There is no page at this address.",
		    "an old name of no deck is 404" },
		{ "/_drfslides/live", NULL, 404, "There is no deck named",
		    "a dev-only route is not answered without the dev server" },
	};

	answers_table(pages);
}

/* Redirects: a deck without its slash and the 2001 names, under the mount point. */
static void
test_redirects(void)
{
	static const struct {
		const char	*path, *location, *desc;
	} rd[] = {
		{ "/lec", "/m/lec/", "a deck name without its slash redirects to it, under the mount point" },
		{ "/lec2.html", "/m/lec/?page=2", "an old static name redirects to the deck and page" },
		{ "/lec13.html", "/m/lec1/?page=3", "the longest deck name that exists wins in an old name" },
		{ "/lec17.html", "/m/lec1/?page=7", "an old name for a page past the end still redirects" },
	};
	struct response	 r;
	struct buf	 h = BUF_INIT;
	size_t		 i;
	char		*want;

	for (i = 0; i < sizeof rd / sizeof rd[0]; i++) {
		is_int(get(&r, "GET", rd[i].path, NULL, NULL, NULL), 301,
		    "%s: 301", rd[i].path);
		is_str(r.location, rd[i].location, "%s", rd[i].desc);
		want = xasprintf("Location: %s\n", rd[i].location);
		has_str(headers(&r, &h), want, "%s: the Location header is sent", rd[i].path);
		free(want);
		response_free(&r);
	}
	buf_free(&h);
}

/* Glossary entries: the fragment in a page, the missing entry named, bad terms refused. */
static void
test_glossary(void)
{
	static const struct answer gl[] = {
		{ "/lec1/glossary/known.html", NULL, 200, "entry text", "a glossary entry answers" },
		{ "/lec1/glossary/known.html", NULL, 200, "<h2>Known</h2>",
		    "the entry's fragment is in the page" },
		{ "/lec1/glossary/unknown.html", NULL, 404, "<h2>unknown</h2>",
		    "a term without an entry is 404, a page that names the term" },
		{ "/lec1/glossary/.hidden.html", NULL, 404, "There is no such glossary entry.",
		    "a dotfile term is 404" },
		{ "/lec1/glossary/a%22b.html", NULL, 404, "There is no such glossary entry.",
		    "a term with a quote is 404" },
	};

	answers_table(gl);
}

/* Paths that could reach outside the decks are refused with 400 (or 414, 404). */
static void
test_bad_paths(void)
{
	static const struct answer bad[] = {
		{ "/lec/../secret.txt", NULL, 400, BAD_ADDRESS, "a .. segment is refused" },
		{ "/lec/./0", NULL, 400, BAD_ADDRESS, "a . segment is refused" },
		{ "/static/../secret.txt", NULL, 400, BAD_ADDRESS, "no .. under static" },
		{ "/lec\\0", NULL, 400, BAD_ADDRESS, "a backslash is refused" },
		{ "/lec/0\r\nX-Injected: 1", NULL, 400, BAD_ADDRESS,
		    "CR and LF in the path are refused" },
		{ "relative", NULL, 400, BAD_ADDRESS, "a path without its slash is refused" },
		{ "/<script>/", NULL, 404, "There is no page at this address.",
		    "a name with markup is 404" },
	};
	struct answer	 longurl = { NULL, NULL, 414, "The address is too long.",
	    "a URL over 8 KiB is 414" };
	struct response	 r;
	struct request	 req;
	struct buf	 big = BUF_INIT;
	int		 i;

	answers_table(bad);
	get(&r, "GET", "/<script>/", NULL, NULL, NULL);
	ok(r.body != NULL && memmem(r.body, r.len, "<script>", 8) == NULL,
	    "nothing of the path is reflected raw");
	response_free(&r);

	fx_request(&req, "GET", "/lec/0\0.html", NULL);
	req.pathlen = 11;
	req.base = "";
	is_int(handle(&req, &r), 400, "a NUL byte decoded into the path is refused");
	ok(r.body != NULL && memmem(r.body, r.len, BAD_ADDRESS, strlen(BAD_ADDRESS)) != NULL,
	    "... with the page that says the address is not valid");
	response_free(&r);

	buf_adds(&big, "/lec/");
	for (i = 0; i < 9000; i++)
		buf_addc(&big, 'a');
	longurl.path = big.data;
	answers(&longurl);
	buf_free(&big);
}

/* The shipped static files: their type and validators; what is not one is 404. */
static void
test_static(void)
{
	static const struct answer st[] = {
		{ "/static/nosuch.css", NULL, 404, "There is no such file.", "a missing asset is 404" },
		{ "/static/.hidden.css", NULL, 404, "There is no such file.", "a hidden asset is 404" },
		{ "/static/x.exe", NULL, 404, "There is no such file.",
		    "an asset of an unknown type is 404" },
	};
	struct response	 r;
	struct buf	 h = BUF_INIT;

	answers_table(st);
	is_int(get(&r, "GET", "/static/drfslides.css", NULL, NULL, NULL), 200,
	    "a static asset answers");
	ok(r.file && r.fd >= 0 && r.len > 0, "... with the file as its body");
	ok(etag_form(r.etag) && r.mtime != 0, "... and its validators");
	is_str(r.content_type, "text/css; charset=UTF-8", "CSS has its type");
	has_str(headers(&r, &h), "X-Content-Type-Options: nosniff",
	    "a static file is never sniffed as another type");
	response_free(&r);
	buf_free(&h);
}

/* Methods: only GET and HEAD, said in Allow and in the page; HEAD sends no body. */
static void
test_methods(void)
{
	static const char *const methods[] = { "POST", "PUT", "DELETE" };
	struct response	 r;
	struct buf	 h = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		is_int(get(&r, methods[i], "/lec/0", NULL, NULL, NULL), 405,
		    "%s is not allowed", methods[i]);
		is_str(r.allow, "GET, HEAD", "%s: 405 says what is allowed", methods[i]);
		has_str(r.body, "Only GET and HEAD are allowed.", "%s: ... in its page too",
		    methods[i]);
		has_str(headers(&r, &h), "Allow: GET, HEAD\n", "%s: ... in the Allow header",
		    methods[i]);
		response_free(&r);
	}
	is_int(get(&r, "PUT", "/", NULL, NULL, NULL), 405, "PUT on the index is not allowed either");
	is_str(r.allow, "GET, HEAD", "... and 405 says what is");
	response_free(&r);
	get(&r, "HEAD", "/lec/0", NULL, NULL, NULL);
	ok(r.status == 200 && !r.send_body && r.len > 0,
	    "HEAD keeps the length but sends no body");
	ok(etag_form(r.etag), "HEAD has the page's ETag");
	response_free(&r);
	buf_free(&h);
}

/* A page's headers and validators: ETag, Last-Modified, If-None-Match, If-Modified-Since. */
static void
test_validators(void)
{
	static const struct {
		const char	*inm, *ims;
		int		 status;
		const char	*desc;
	} cond[] = {
		{ "ETAG", NULL, 304, "If-None-Match with the ETag is 304" },
		{ "W/\"x\", ETAG", NULL, 304, "an ETag anywhere in the list is 304" },
		{ "\"other\"", NULL, 200, "another ETag is 200" },
		{ NULL, "Fri, 01 Jan 2100 00:00:00 GMT", 304, "If-Modified-Since after the change is 304" },
		{ NULL, "Thu, 01 Jan 1970 00:00:00 GMT", 200, "If-Modified-Since before the change is 200" },
	};
	struct response	 r;
	struct buf	 h = BUF_INIT, inm = BUF_INIT;
	char		 etag[sizeof r.etag];
	const char	*at;
	size_t		 plen, i;

	get(&r, "GET", "/lec/1", NULL, NULL, NULL);
	ok(etag_form(r.etag), "a page has an ETag, a quoted hash (%s)", r.etag);
	ok(r.mtime != 0, "a page has a Last-Modified time");
	snprintf(etag, sizeof etag, "%s", r.etag);
	plen = r.len;
	headers(&r, &h);
	has_str(h.data, "Content-Security-Policy: frame-ancestors 'self'",
	    "pages say who may frame them");
	has_str(h.data, "Cache-Control: no-cache", "pages carry the configured Cache-Control");
	has_str(h.data, "Last-Modified: ", "pages send Last-Modified");
	ok(strstr(h.data, "X-Frame-Options") == NULL, "no X-Frame-Options");
	response_free(&r);

	for (i = 0; i < sizeof cond / sizeof cond[0]; i++) {
		buf_reset(&inm);
		if (cond[i].inm != NULL && (at = strstr(cond[i].inm, "ETAG")) != NULL) {
			buf_add(&inm, cond[i].inm, (size_t)(at - cond[i].inm));
			buf_adds(&inm, etag);
		} else if (cond[i].inm != NULL)
			buf_adds(&inm, cond[i].inm);
		is_int(get(&r, "GET", "/lec/1", NULL, cond[i].inm != NULL ? inm.data : NULL,
		    cond[i].ims), cond[i].status, "%s", cond[i].desc);
		if (cond[i].status == 304) {
			ok(!r.send_body, "%s: a 304 has no body", cond[i].desc);
			ok(r.len > 0 && r.len == plen,
			    "%s: a 304 keeps the length of the 200 (for Content-Length)",
			    cond[i].desc);
			is_str(r.etag, etag, "%s: a 304 keeps the ETag", cond[i].desc);
		} else
			ok(r.send_body && r.len == plen, "%s: the whole page is sent",
			    cond[i].desc);
		response_free(&r);
	}
	buf_free(&inm);
	buf_free(&h);
}

/* The mount base: only a plain absolute path reaches a Location. */
static void
test_base(void)
{
	static const struct {
		const char	*base, *location, *desc;
	} bases[] = {
		{ "//evil.example", "/lec/", "a base of '//host' never reaches Location" },
		{ "/a/../b", "/lec/", "a base with a '..' segment is refused too" },
		{ "/courses/net", "/courses/net/lec/", "a plain base is kept" },
	};
	struct response	 r;
	struct request	 req;
	size_t		 i;

	fx_request(&req, "GET", "/lec", NULL);
	for (i = 0; i < sizeof bases / sizeof bases[0]; i++) {
		req.base = bases[i].base;
		is_int(handle(&req, &r), 301,
		    "a deck name without its slash redirects under the base '%s'", bases[i].base);
		is_str(r.location, bases[i].location, "%s", bases[i].desc);
		response_free(&r);
	}
}

/* oEmbed answers for this server's own Host only. */
static void
test_oembed(void)
{
	static const struct {
		const char	*host, *url;
		int		 status;
		const char	*text, *desc;
	} oe[] = {
		{ "slides.test", "http%3A%2F%2Fslides.test%3A8080%2Fm%2Flec%2F", 200,
		    "http://slides.test:8080/m/lec/view",
		    "oembed: a Host without its port (nginx's $host) still names us" },
		{ "slides.test:8080", "http%3A%2F%2Fslides.test.evil%3A8080%2Fm%2Flec%2F", 404,
		    "is not a deck served here.", "oembed: a longer host name is another host" },
		{ "slides.test:8080", "http%3A%2F%2Fevil.example%2Fm%2Flec%2F", 404,
		    "is not a deck served here.", "oembed: a deck URL on another host is 404" },
		{ "a..b", "http%3A%2F%2Fa..b%2Fm%2Flec%2F", 404, "is not a deck served here.",
		    "oembed: a host name 'a..b' is refused" },
		{ NULL, "http%3A%2F%2Fslides.test%3A8080%2Fm%2Flec%2F", 404, "is not a deck served here.",
		    "oembed: without a Host and --public-url, nothing is ours" },
	};
	struct response	 r;
	struct request	 req;
	char		*q;
	size_t		 i;

	fx_request(&req, "GET", "/oembed", "url=http%3A%2F%2Fslides.test%3A8080%2Fm%2Flec%2F");
	req.host = "slides.test:8080";
	is_int(handle(&req, &r), 200, "oembed: a deck on the request's own Host answers");
	is_str(r.content_type, "application/json; charset=UTF-8", "oembed: JSON");
	has_str(r.body, "http://slides.test:8080/m/lec/view",
	    "oembed: the iframe shows the deck's view");
	has_str(r.body, "\"width\":960,\"height\":600",
	    "oembed: the embed has the one named size");
	has_str(r.body, "\"title\":\"Lecture\"", "oembed: the deck's title");
	response_free(&r);

	for (i = 0; i < sizeof oe / sizeof oe[0]; i++) {
		q = xasprintf("url=%s", oe[i].url);
		fx_request(&req, "GET", "/oembed", q);
		req.host = oe[i].host;
		is_int(handle(&req, &r), oe[i].status, "%s", oe[i].desc);
		has_str(r.body, oe[i].text, "%s: the body says so", oe[i].desc);
		ok(r.body != NULL && (oe[i].status == 200 ||
		    (strstr(r.body, "evil") == NULL && strstr(r.body, "a..b") == NULL &&
		    (r.content_type != NULL && strcmp(r.content_type, HTML) == 0))),
		    "%s: ... and vouches for nothing", oe[i].desc);
		response_free(&r);
		free(q);
	}
}

/* The route table: pages, reserved export names, dev-only routes. */
static void
test_route_table(void)
{
	static const struct {
		const char	*name;
		int		 page;
	} pages[] = {
		{ "12", 1 }, { "display", 1 }, { "view", 1 }, { "print", 1 },
		{ "glossary/x.png", 1 }, { "glossary/", 1 },
		{ "12.png", 0 }, { "views", 0 }, { "glossary.png", 0 }, { "", 0 },
	};
	static const struct {
		const char	*name;
		int		 reserved;
	} exported[] = {
		{ "index.html", 1 }, { "print.html", 1 }, { "display.html", 1 },
		{ "static", 1 }, { "static/x.css", 1 }, { "glossary", 1 },
		{ "fig.png", 0 }, { "statics", 0 }, { "index.htm", 0 },
	};
	size_t	 i;

	for (i = 0; i < sizeof pages / sizeof pages[0]; i++)
		is_int(route_table_is_page(pages[i].name, strlen(pages[i].name)),
		    pages[i].page, "route table: '%s' is %s", pages[i].name,
		    pages[i].page ? "a page" : "an asset");
	for (i = 0; i < sizeof exported / sizeof exported[0]; i++)
		is_int(route_table_exported(exported[i].name), exported[i].reserved,
		    "route table: '%s' is %s", exported[i].name,
		    exported[i].reserved ? "a name export writes (reserved)" : "not reserved");
}

/* A probe that knows a fixed tree, and counts how often it is asked. */
static const struct {
	const char		*name;
	enum route_place_kind	 kind;
} tree[] = {
	{ "lec", ROUTE_PLACE_DECK }, { "uni", ROUTE_PLACE_COURSE },
	{ "uni/net", ROUTE_PLACE_COURSE }, { "uni/net/week05", ROUTE_PLACE_DECK },
	{ "uni/net/lab", ROUTE_PLACE_COURSE }, { "glossary", ROUTE_PLACE_COURSE },
	{ "uni/net/lab/search", ROUTE_PLACE_DECK },
	{ "a", ROUTE_PLACE_COURSE }, { "a/b", ROUTE_PLACE_COURSE },
	{ "a/b/c", ROUTE_PLACE_COURSE }, { "a/b/c/d", ROUTE_PLACE_COURSE },
	{ "a/b/c/d/e", ROUTE_PLACE_COURSE }, { "a/b/c/d/x", ROUTE_PLACE_DECK },
};

static enum route_place_kind
probe_tree(void *arg, const char *name)
{
	size_t	 i;

	(*(int *)arg)++;
	for (i = 0; i < sizeof tree / sizeof tree[0]; i++)
		if (strcmp(tree[i].name, name) == 0)
			return tree[i].kind;
	return ROUTE_PLACE_NOTHING;
}

/* The path split: where a course or deck's name ends, the rest, and the limits. */
static void
test_place(void)
{
	static const struct {
		const char		*path;
		enum route_place_kind	 kind;
		const char		*name, *rest;
		int			 slash, asked;
		const char		*desc;
	} pl[] = {
		{ "", ROUTE_PLACE_COURSE, "", "", 1, 0, "the top is the course \"\"" },
		{ "lec/3", ROUTE_PLACE_DECK, "lec", "3", 1, 1,
		    "a deck at the top: its name is the first part (asked once)" },
		{ "lec", ROUTE_PLACE_DECK, "lec", "", 0, 1, "a deck without its slash" },
		{ "lec/glossary/x.html", ROUTE_PLACE_DECK, "lec", "glossary/x.html", 1, 1,
		    "what follows a deck is never probed" },
		{ "uni/net/week05/view", ROUTE_PLACE_DECK, "uni/net/week05", "view", 1, 3,
		    "a deck two folders deep" },
		{ "uni/net/week05/img/a.png", ROUTE_PLACE_DECK, "uni/net/week05", "img/a.png",
		    1, 3, "an asset path of a nested deck" },
		{ "uni/net/", ROUTE_PLACE_COURSE, "uni/net", "", 1, 2, "a course's index" },
		{ "uni/net", ROUTE_PLACE_COURSE, "uni/net", "", 0, 2, "a course without its slash" },
		{ "uni/net/week050.html", ROUTE_PLACE_COURSE, "uni/net", "week050.html", 1, 2,
		    "a 2001 name in a course is the course's rest" },
		{ "smtp0.html", ROUTE_PLACE_COURSE, "", "smtp0.html", 1, 0,
		    "a 2001 name at the top is the top's rest" },
		{ "uni/nope/x", ROUTE_PLACE_NOTHING, "uni/nope", "x", 1, 2,
		    "a name that is neither ends the walk" },
		{ "uni/../lec/", ROUTE_PLACE_COURSE, "uni", "../lec/", 1, 1,
		    "'..' is no name: it never reaches the probe" },
		{ "glossary/x.html", ROUTE_PLACE_NOTHING, "glossary", "x.html", 1, 1,
		    "a folder named glossary is never a course" },
		{ "a/b/c/d/x/0", ROUTE_PLACE_DECK, "a/b/c/d/x", "0", 1, 5,
		    "a deck four folders deep" },
		{ "a/b/c/d/e/", ROUTE_PLACE_NOTHING, "a/b/c/d/e", "", 1, 5,
		    "a fifth folder is not a course" },
		{ "a//b", ROUTE_PLACE_COURSE, "a", "/b", 1, 1, "an empty part ends the walk" },
		{ "search", ROUTE_PLACE_COURSE, "", "search", 1, 1,
		    "a course route's name, no deck's, at the top: the top's route" },
		{ "uni/net/search", ROUTE_PLACE_COURSE, "uni/net", "search", 1, 3,
		    "... in a course: that course's" },
		{ "uni/search/x", ROUTE_PLACE_NOTHING, "uni/search", "x", 1, 2,
		    "... but not before another part" },
		{ "uni/net/lab/search", ROUTE_PLACE_DECK, "uni/net/lab/search", "", 0, 4,
		    "a deck of that name keeps it" },
	};
	struct route_place	 p;
	size_t			 i;
	int			 asked;

	for (i = 0; i < sizeof pl / sizeof pl[0]; i++) {
		asked = 0;
		route_table_place(pl[i].path, strlen(pl[i].path), probe_tree, &asked, &p);
		ok(p.kind == pl[i].kind && p.namelen == strlen(pl[i].name) &&
		    strncmp(pl[i].path, pl[i].name, p.namelen) == 0 &&
		    p.slash == pl[i].slash && p.restlen == strlen(pl[i].rest) &&
		    memcmp(p.rest, pl[i].rest, p.restlen) == 0 && asked == pl[i].asked,
		    "place '%s': %s", pl[i].path, pl[i].desc);
	}
}

/* A course's index in the reader's language, as the top's. */
static void
test_course_lang(struct buf *h)
{
	struct response	 r;
	struct request	 req;

	get(&r, "GET", "/uni/", NULL, NULL, NULL);
	ok(r.status == 200 && strstr(r.body, "<html lang=\"en\"") != NULL &&
	    strstr(r.body, "<h2 id=\"courses-h\">Courses</h2>") != NULL &&
	    strstr(r.body, "aria-label=\"Breadcrumb\"") != NULL,
	    "a course's index of English decks is in English");
	has_str(headers(&r, h), "Vary: Accept-Language\n",
	    "... sent with Vary: Accept-Language");
	response_free(&r);
	fx_request(&req, "GET", "/uni/", NULL);
	req.accept_language = "ja,en;q=0.5";
	handle(&req, &r);
	ok(r.status == 200 && strstr(r.body, "<html lang=\"ja\"") != NULL &&
	    strstr(r.body, "<h2 id=\"courses-h\">コース</h2>") != NULL &&
	    strstr(r.body, "aria-label=\"現在位置\"") != NULL &&
	    strstr(r.body, ">スライド一覧</a></li>") != NULL,
	    "Accept-Language: ja: the course's index, its breadcrumb and "
	    "its courses in Japanese");
	has_str(headers(&r, h), "Vary: Accept-Language\n",
	    "... sent with Vary: Accept-Language too");
	response_free(&r);
}

/* Courses in the app: nested decks, course indexes, their glossary, 2001 names, oEmbed. */
static void
test_courses(void)
{
	static const struct answer a[] = {
		{ "/uni/net/week05/", NULL, 200, "<frameset", "a nested deck's frameset" },
		{ "/uni/net/week05/1", NULL, 200, "data-page=\"1\"", "a nested deck's page" },
		{ "/uni/net/week05/1", NULL, 200, "href=\"../../../static/drfslides.css\"",
		    "a nested deck's page finds the static folder three folders up" },
		{ "/uni/net/week05/glossary/known.html", NULL, 200, "course entry",
		    "a course's glossary entry refines the top's" },
		{ "/uni/net/week05/glossary/top.html", NULL, 200, "top only",
		    "a term only the top has is found there" },
		{ "/uni/net/week05/glossary/top.html", NULL, 200,
		    "href=\"../../../../static/drfslides.css\"",
		    "a nested deck's glossary entry finds the static folder" },
		{ "/lec1/glossary/known.html", NULL, 200, "entry text",
		    "a deck at the top still has the top's entry" },
		{ "/uni/net/", NULL, 200, "<h1>Networks</h1>", "a course's index has its title" },
		{ "/uni/net/", NULL, 200, "<p class=\"course-text\">The first course.</p>",
		    "... and its text" },
		{ "/uni/net/", NULL, 200, "<a href=\"week05/\">Week five</a>",
		    "... and links its decks relative to itself" },
		{ "/uni/net/", NULL, 200, "<li><a href=\"../../\">",
		    "... and a breadcrumb to the top" },
		{ "/uni/net/", NULL, 200, "<li><a href=\"week05/?page=1\">",
		    "... and links its decks' contents relative to itself" },
		{ "/uni/", NULL, 200, "<a href=\"net/\">Networks</a>",
		    "a course lists its courses by title" },
		{ "/", NULL, 200, "<a href=\"uni/\">uni</a>",
		    "the top lists its courses, by folder name without a title" },
		{ "/uni/nope/", NULL, 404, "<pre class=\"detail\">uni/nope</pre>",
		    "a missing course is 404" },
		{ "/uni/net/week05/9", NULL, 404, "There is no such page.",
		    "past a nested deck's last page is 404" },
		{ "/uni/net/glossary/known.html", NULL, 404, "There is no deck named",
		    "a course's glossary folder is not served as a course" },
	};
	static const struct {
		const char	*path, *location;
	} rd[] = {
		{ "/uni/net/week05", "/m/uni/net/week05/" },
		{ "/uni", "/m/uni/" },
		{ "/uni/net/week051.html", "/m/uni/net/week05/?page=1" },
	};
	struct response	 r;
	struct request	 req;
	struct buf	 h = BUF_INIT;
	size_t		 i;

	answers_table(a);
	for (i = 0; i < sizeof rd / sizeof rd[0]; i++) {
		is_int(get(&r, "GET", rd[i].path, NULL, NULL, NULL), 301, "%s: 301",
		    rd[i].path);
		is_str(r.location, rd[i].location, "%s redirects to %s", rd[i].path,
		    rd[i].location);
		response_free(&r);
	}
	get(&r, "GET", "/uni/net/week05/", NULL, NULL, NULL);
	has_str(headers(&r, &h), "Surrogate-Key: drfslides deck-uni+net+week05\n",
	    "a nested deck's purge key is one header token");
	response_free(&r);
	fx_request(&req, "GET", "/oembed",
	    "url=http%3A%2F%2Fslides.test%2Fm%2Funi%2Fnet%2Fweek05%2Fview");
	req.host = "slides.test";
	is_int(handle(&req, &r), 200, "oembed: a nested deck's view");
	has_str(r.body, "http://slides.test/m/uni/net/week05/view",
	    "oembed: the iframe shows the nested deck's view");
	response_free(&r);
	test_course_lang(&h);
	buf_free(&h);
}

static const struct tap_case cases[] = {
	TAP_CASE(test_index),
	TAP_CASE(test_pages),
	TAP_CASE(test_redirects),
	TAP_CASE(test_glossary),
	TAP_CASE(test_bad_paths),
	TAP_CASE(test_static),
	TAP_CASE(test_methods),
	TAP_CASE(test_validators),
	TAP_CASE(test_base),
	TAP_CASE(test_oembed),
	TAP_CASE(test_route_table),
	TAP_CASE(test_place),
	TAP_CASE(test_courses),
};

int
main(void)
{
	struct app_config	 cfg;
	char			*cause;
	int			 rc;

	if (fx_init(&fx, "router") != 0 ||
	    fx_put(&fx, "lec.drf", "#title Lecture\n---\nzero\n---\none\n---\ntwo\n") != 0 ||
	    fx_put(&fx, "lec1.drf", "---\nonly <a href='GLS(x)'>x</a>\n"
	    "#define GLS() JavaScript:parent.display.openglossary(\"$1.html\")\n") != 0 ||
	    fx_mkdir(&fx, "glossary") != 0 ||
	    fx_put(&fx, "glossary/known.html", "<h2>Known</h2><p>entry text</p>") != 0 ||
	    fx_put(&fx, "secret.txt", "canary") != 0 ||
	    fx_put(&fx, "glossary/top.html", "<p>top only</p>") != 0 ||
	    fx_mkdir(&fx, "uni") != 0 || fx_mkdir(&fx, "uni/net") != 0 ||
	    fx_mkdir(&fx, "uni/net/glossary") != 0 ||
	    fx_put(&fx, "uni/net/glossary/known.html", "<p>course entry</p>") != 0 ||
	    fx_put(&fx, "uni/net/course.txt", "# the course\nNetworks\n\n"
	    "The first course.\n") != 0 ||
	    fx_put(&fx, "uni/net/week05.drf", "#title Week five\n"
	    "#define GLS() JavaScript:parent.display.openglossary(\"$1.html\")\n"
	    "---\nzero <a href='GLS(known)'>k</a> <a href='GLS(top)'>t</a>\n"
	    "---\none\n") != 0) {
		printf("Bail out! the decks directory\n");
		return 99;
	}
	fx_app_config(&fx, &cfg);
	if (app_create(&app, &cfg, &cause) != 0) {
		printf("Bail out! %s\n", cause);
		fx_done(&fx);
		return 99;
	}
	rc = tap_run_cases(cases);
	app_free(app);
	if (fx_done(&fx) != 0)
		return 99;
	return rc;
}
