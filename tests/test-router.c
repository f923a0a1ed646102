/* test-router.c: routes, statuses and headers of the router, without any server. */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "route_table.h"
#include "router.h"
#include "util.h"
#include "tap.h"

static struct app	*app;
static char		 dir[64];

/* Answers one GET (or another method) and keeps the response in r. */
static int
get(struct response *r, const char *method, const char *path,
    const char *query, const char *inm, const char *ims)
{
	struct request	 req;

	memset(&req, 0, sizeof req);
	req.method = method;
	req.path = path;
	req.pathlen = strlen(path);
	req.query = query;
	req.base = "/m";
	req.if_none_match = inm;
	req.if_modified_since = ims;
	req.urilen = strlen(path) + (query != NULL ? strlen(query) + 1 : 0);
	router_handle(app, &req, r);
	return r->status;
}

/* Returns the status of a GET and frees the response. */
static int
status(const char *path, const char *query)
{
	struct response	 r;
	int		 st;

	st = get(&r, "GET", path, query, NULL, NULL);
	response_free(&r);
	return st;
}

/*
 * Checks one GET: its status, a piece of its body, and the headers its kind
 * of answer must have (an error page is HTML that is never stored; a page
 * has its validators).
 */
static void
answers(const char *path, const char *query, int want, const char *text,
    const char *desc)
{
	struct response	 r;
	int		 good;

	get(&r, "GET", path, query, NULL, NULL);
	good = r.status == want && r.body != NULL && r.content_type != NULL &&
	    memmem(r.body, r.len, text, strlen(text)) != NULL;
	if (good && want >= 400)
		good = strcmp(r.content_type, "text/html; charset=UTF-8") == 0 &&
		    r.cache_control != NULL &&
		    strcmp(r.cache_control, "no-store") == 0 && r.etag[0] == '\0';
	else if (good)
		good = r.etag[0] == '"' && r.mtime != 0;
	ok(good, "%s", desc);
	if (!good)
		printf("#   status %d, type %s, %zu bytes\n", r.status,
		    r.content_type != NULL ? r.content_type : "(none)", r.len);
	response_free(&r);
}

/* Writes a file under the test directory. */
static void
put(const char *name, const char *text)
{
	char	 path[256];
	FILE	*f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

/* Collects headers as "Name: value\n". */
static void
collect(void *arg, const char *name, const char *value)
{
	buf_printf(arg, "%s: %s\n", name, value);
}

int
main(void)
{
	struct app_config	 cfg;
	struct response		 r;
	struct request		 req;
	struct buf		 h = BUF_INIT, big = BUF_INIT;
	char			 etag[32], tdir[512], sdir[512], path[256];
	char			*cause;
	const char		*top;
	size_t			 plen;
	int			 i;

	top = getenv("top_srcdir");
	if (top == NULL)
		top = ".";
	snprintf(tdir, sizeof tdir, "%s/templates", top);
	snprintf(sdir, sizeof sdir, "%s/static", top);
	snprintf(dir, sizeof dir, "/tmp/drfrouter.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 99;
	put("lec.drf", "#title Lecture\n---\nzero\n---\none\n---\ntwo\n");
	put("lec1.drf", "---\nonly <a href='GLS(x)'>x</a>\n#define GLS() JavaScript:parent.display.openglossary(\"$1.html\")\n");
	snprintf(path, sizeof path, "%s/glossary", dir);
	mkdir(path, 0755);
	put("glossary/known.html", "<h2>Known</h2><p>entry text</p>");
	put("secret.txt", "canary");

	memset(&cfg, 0, sizeof cfg);
	cfg.decks_dir = dir;
	cfg.templates_dir = tdir;
	cfg.static_dir = sdir;
	cfg.cache_bytes = 16 << 20;
	cfg.frame_ancestors = "'self'";
	cfg.cache_control = "no-cache";
	deck_limits_default(&cfg.limits);
	if (app_create(&app, &cfg, &cause) != 0) {
		printf("Bail out! %s\n", cause);
		return 99;
	}

	answers("/", NULL, 200, "Lecture", "the index answers");
	get(&r, "GET", "/", NULL, NULL, NULL);
	has_str(r.body, "Lecture", "the index names a deck by its title");
	is_str(r.content_type, "text/html; charset=UTF-8", "HTML is UTF-8");
	response_free(&r);

	answers("/lec/", NULL, 200, "<frameset", "the entry page answers");
	answers("/lec/0", NULL, 200, "data-page=\"0\"", "page 0 answers");
	answers("/lec/2", NULL, 200, "data-page=\"2\"", "the last page answers");
	answers("/lec/3", NULL, 404, "There is no such page.", "the page after the last is 404");
	answers("/lec/-1", NULL, 404, "There is no such file.", "a negative page is 404");
	answers("/lec/+1", NULL, 404, "There is no such page.", "a signed page is 404");
	answers("/lec/007", NULL, 404, "There is no such page.", "a page with leading zeros is 404");
	answers("/lec/0x1", NULL, 404, "There is no such file.", "a hex page is 404");
	answers("/lec/1e0", NULL, 404, "There is no such file.", "an exponent page is 404");
	answers("/lec/1abc", NULL, 404, "There is no such file.", "a page with letters is 404");
	answers("/lec/99999999999999999999", NULL, 404, "There is no such page.",
	    "a page number past any integer is 404");
	answers("/lec/display", NULL, 200, "class=\"display\"", "the display frame answers");
	answers("/nosuch/", NULL, 404, "There is no deck named &quot;nosuch&quot;.", "a missing deck is 404");
	answers("/lec/", "page=2", 200, "src=\"2\"", "the entry page takes ?page");
	get(&r, "GET", "/lec/", "page=2", NULL, NULL);
	has_str(r.body, "src=\"2\"", "the frameset starts at the page asked for");
	response_free(&r);
	answers("/lec/", "page=3", 404, "There is no such page.", "?page past the end is 404");
	answers("/lec/", "page=x", 404, "There is no such page.", "a malformed ?page is 404");

	get(&r, "GET", "/lec", NULL, NULL, NULL);
	is_int(r.status, 301, "a deck name without its slash redirects");
	is_str(r.location, "/m/lec/", "the redirect keeps the mount point");
	response_free(&r);
	get(&r, "GET", "/lec2.html", NULL, NULL, NULL);
	is_int(r.status, 301, "an old static name redirects");
	is_str(r.location, "/m/lec/?page=2", "the old name maps to the deck and page");
	response_free(&r);
	get(&r, "GET", "/lec13.html", NULL, NULL, NULL);
	is_str(r.location, "/m/lec1/?page=3",
	    "the longest deck name that exists wins in an old name");
	response_free(&r);
	get(&r, "GET", "/lec17.html", NULL, NULL, NULL);
	is_str(r.location, "/m/lec1/?page=7", "an old name for a page past the end still redirects");
	response_free(&r);
	answers("/nosuch3.html", NULL, 404, "There is no page at this address.", "an old name of no deck is 404");

	get(&r, "GET", "/lec1/glossary/known.html", NULL, NULL, NULL);
	is_int(r.status, 200, "a glossary entry answers");
	has_str(r.body, "entry text", "the entry's fragment is in the page");
	response_free(&r);
	get(&r, "GET", "/lec1/glossary/unknown.html", NULL, NULL, NULL);
	is_int(r.status, 404, "a term without an entry is 404");
	has_str(r.body, "unknown", "the no-entry page names the term");
	response_free(&r);
	answers("/lec1/glossary/.hidden.html", NULL, 404, "There is no such glossary entry.",
	    "a dotfile term is 404");
	answers("/lec1/glossary/a%22b.html", NULL, 404, "There is no such glossary entry.",
	    "a term with a quote is 404");

	answers("/lec/../secret.txt", NULL, 400, "The address is not valid.", "a .. segment is refused");
	answers("/lec/./0", NULL, 400, "The address is not valid.", "a . segment is refused");
	answers("/static/../secret.txt", NULL, 400, "The address is not valid.", "no .. under static");
	answers("/lec\\0", NULL, 400, "The address is not valid.", "a backslash is refused");
	answers("/lec/0\r\nX-Injected: 1", NULL, 400, "The address is not valid.",
	    "CR and LF in the path are refused");
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = "/lec/0\0.html";
	req.pathlen = 11;
	req.base = "";
	router_handle(app, &req, &r);
	is_int(r.status, 400, "a NUL byte decoded into the path is refused");
	response_free(&r);
	answers("relative", NULL, 400, "The address is not valid.", "a path without its slash is refused");
	is_int(status("/static/drfslides.css", NULL), 200, "a static asset answers");
	get(&r, "GET", "/static/drfslides.css", NULL, NULL, NULL);
	is_str(r.content_type, "text/css; charset=UTF-8", "CSS has its type");
	response_free(&r);
	answers("/static/nosuch.css", NULL, 404, "There is no such file.", "a missing asset is 404");
	answers("/static/.hidden.css", NULL, 404, "There is no such file.", "a hidden asset is 404");
	answers("/static/x.exe", NULL, 404, "There is no such file.", "an asset of an unknown type is 404");

	get(&r, "POST", "/lec/0", NULL, NULL, NULL);
	is_int(r.status, 405, "POST is not allowed");
	is_str(r.allow, "GET, HEAD", "405 says what is allowed");
	response_free(&r);
	is_int(get(&r, "PUT", "/", NULL, NULL, NULL), 405, "PUT is not allowed");
	is_str(r.allow, "GET, HEAD", "... and 405 says what is");
	has_str(r.body, "Only GET and HEAD are allowed.", "... in its page too");
	response_free(&r);
	get(&r, "HEAD", "/lec/0", NULL, NULL, NULL);
	ok(r.status == 200 && !r.send_body && r.len > 0,
	    "HEAD keeps the length but sends no body");
	response_free(&r);

	buf_reserve(&big, 9000);
	buf_adds(&big, "/lec/");
	for (i = 0; i < 9000; i++)
		buf_addc(&big, 'a');
	answers(big.data, NULL, 414, "The address is too long.", "a URL over 8 KiB is 414");
	buf_free(&big);

	get(&r, "GET", "/lec/1", NULL, NULL, NULL);
	ok(r.etag[0] == '"', "a page has an ETag");
	ok(r.mtime != 0, "a page has a Last-Modified time");
	snprintf(etag, sizeof etag, "%s", r.etag);
	plen = r.len;
	response_headers(&r, collect, &h);
	has_str(h.data, "Content-Security-Policy: frame-ancestors 'self'",
	    "pages say who may frame them");
	has_str(h.data, "Cache-Control: no-cache", "pages carry the configured Cache-Control");
	ok(strstr(h.data, "X-Frame-Options") == NULL, "no X-Frame-Options");
	response_free(&r);
	buf_free(&h);
	is_int(get(&r, "GET", "/lec/1", NULL, etag, NULL), 304,
	    "If-None-Match with the ETag is 304");
	ok(!r.send_body, "a 304 has no body");
	ok(r.len > 0 && r.len == plen,
	    "a 304 keeps the length of the 200 (for Content-Length)");
	response_free(&r);
	snprintf(path, sizeof path, "W/\"x\", %s", etag);
	is_int(get(&r, "GET", "/lec/1", NULL, path, NULL), 304,
	    "an ETag anywhere in the list is 304");
	response_free(&r);
	is_int(get(&r, "GET", "/lec/1", NULL, "\"other\"", NULL), 200,
	    "another ETag is 200");
	response_free(&r);
	is_int(get(&r, "GET", "/lec/1", NULL, NULL,
	    "Fri, 01 Jan 2100 00:00:00 GMT"), 304,
	    "If-Modified-Since after the change is 304");
	response_free(&r);
	is_int(get(&r, "GET", "/lec/1", NULL, NULL,
	    "Thu, 01 Jan 1970 00:00:00 GMT"), 200,
	    "If-Modified-Since before the change is 200");
	response_free(&r);

	get(&r, "GET", "/<script>/", NULL, NULL, NULL);
	is_int(r.status, 404, "a name with markup is 404");
	ok(strstr(r.body, "<script>") == NULL, "nothing of the path is reflected raw");
	response_free(&r);


	/* The mount base: only a plain absolute path reaches a Location. */
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = "/lec";
	req.pathlen = 4;
	req.base = "//evil.example";
	router_handle(app, &req, &r);
	is_int(r.status, 301, "a deck name without its slash redirects under any base");
	is_str(r.location, "/lec/", "a base of '//host' never reaches Location");
	response_free(&r);
	req.base = "/a/../b";
	router_handle(app, &req, &r);
	is_str(r.location, "/lec/", "a base with a '..' segment is refused too");
	response_free(&r);
	req.base = "/courses/net";
	router_handle(app, &req, &r);
	is_str(r.location, "/courses/net/lec/", "a plain base is kept");
	response_free(&r);

	/* oEmbed answers for this server's own Host only. */
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = "/oembed";
	req.pathlen = 7;
	req.base = "/m";
	req.host = "slides.test:8080";
	req.query = "url=http%3A%2F%2Fslides.test%3A8080%2Fm%2Flec%2F";
	router_handle(app, &req, &r);
	is_int(r.status, 200, "oembed: a deck on the request's own Host answers");
	is_str(r.content_type, "application/json; charset=UTF-8", "oembed: JSON");
	has_str(r.body, "http://slides.test:8080/m/lec/view",
	    "oembed: the iframe shows the deck's view");
	has_str(r.body, "\"width\":960,\"height\":600",
	    "oembed: the embed has the one named size");
	response_free(&r);
	req.host = "slides.test";
	router_handle(app, &req, &r);
	is_int(r.status, 200, "oembed: a Host without its port (nginx's $host) still names us");
	response_free(&r);
	req.query = "url=http%3A%2F%2Fslides.test.evil%3A8080%2Fm%2Flec%2F";
	router_handle(app, &req, &r);
	is_int(r.status, 404, "oembed: a longer host name is another host");
	response_free(&r);
	req.query = "url=http%3A%2F%2Fevil.example%2Fm%2Flec%2F";
	router_handle(app, &req, &r);
	is_int(r.status, 404, "oembed: a deck URL on another host is 404");
	ok(strstr(r.body, "evil.example") == NULL, "oembed: ... and vouches for nothing");
	response_free(&r);
	req.host = "a..b";
	req.query = "url=http%3A%2F%2Fa..b%2Fm%2Flec%2F";
	router_handle(app, &req, &r);
	is_int(r.status, 404, "oembed: a host name 'a..b' is refused");
	response_free(&r);
	req.host = NULL;
	req.query = "url=http%3A%2F%2Fslides.test%3A8080%2Fm%2Flec%2F";
	router_handle(app, &req, &r);
	is_int(r.status, 404, "oembed: without a Host and --public-url, nothing is ours");
	response_free(&r);

	/* The route table: pages, reserved export names, dev-only routes. */
	ok(route_table_is_page("12", 2) && route_table_is_page("display", 7) &&
	    route_table_is_page("view", 4) && route_table_is_page("print", 5),
	    "route table: digits, display, view and print are pages");
	ok(route_table_is_page("glossary/x.png", 14) &&
	    route_table_is_page("glossary/", 9),
	    "route table: glossary/ and below are pages");
	ok(!route_table_is_page("12.png", 6) && !route_table_is_page("views", 5) &&
	    !route_table_is_page("glossary.png", 12) &&
	    !route_table_is_page("", 0), "route table: other names are assets");
	ok(route_table_exported("index.html") && route_table_exported("print.html") &&
	    route_table_exported("display.html") && route_table_exported("static") &&
	    route_table_exported("static/x.css") && route_table_exported("glossary"),
	    "route table: the files export writes are reserved");
	ok(!route_table_exported("fig.png") && !route_table_exported("statics") &&
	    !route_table_exported("index.htm"),
	    "route table: other asset paths are not reserved");
	answers("/_drfslides/live", NULL, 404, "There is no deck named",
	    "a dev-only route is not answered without the dev server");
	app_free(app);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	if (system(path) != 0)
		return 99;
	return tap_done();
}
