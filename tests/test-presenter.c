/* test-presenter.c: the presenter key, its rate limit and log, the same-origin rule, and the presenter routes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "presenter.h"
#include "router.h"
#include "util.h"
#include "tap.h"
#include "fixture.h"

#define KEY		"k3y-0123456789abcdef-presenter"
#define NOTE		"NOTE-MARKER-7f3a"
#define FORM_ERROR	"The form is page=N&amp;step=S"

static struct fixture	 fx;
static time_t		 fake_now = 1000000;	/* the clock of the wrong-key window */
static struct buf	 logged = BUF_INIT;	/* the lines logged, one a line */

static time_t
fake_clock(void)
{
	return fake_now;
}

static void
log_line(void *arg, const char *line)
{
	(void)arg;
	buf_printf(&logged, "%s\n", line);
}

/* Makes the access rule from a key file's text (NULL: no file); -1 if refused. */
static int
rule(struct presenter **p, const char *keytext, int open, char **cause)
{
	char	*file = NULL;
	int	 rc;

	*cause = NULL;
	if (keytext != NULL) {
		fx_put(&fx, "rule.key", keytext);
		file = fx_path(&fx, "rule.key");
	}
	rc = presenter_create(p, file, open, log_line, NULL, cause);
	if (*p != NULL)
		presenter_set_clock(*p, fake_clock);
	free(file);
	return rc;
}

/* Checks one Authorization value from one address. */
static enum presenter_access
check(struct presenter *p, const char *auth, const char *addr)
{
	struct request	 req;

	fx_request(&req, "GET", "/talk/notes", NULL);
	req.authorization = auth;
	req.remote_addr = addr;
	return presenter_check(p, &req, "talk");
}

/* The key file: its first line without surrounding blanks; short or broken keys refused. */
static void
test_key_file(void)
{
	struct presenter	*p;
	char			*cause, *f;

	ok(rule(&p, "  \t" KEY " \t\r\nsecond line\n", 0, &cause) == 0,
	    "a key with blanks around it and a CRLF");
	is_int(check(p, "Bearer " KEY, "a"), PRESENTER_OK, "is the first line "
	    "without the blanks");
	is_int(check(p, "Bearer second line", "b"), PRESENTER_WRONG,
	    "the second line is not a key");
	presenter_free(p);
	ok(rule(&p, KEY, 0, &cause) == 0, "a key without a newline");
	is_int(check(p, "Bearer " KEY, "a"), PRESENTER_OK, "is read whole");
	presenter_free(p);
	ok(rule(&p, "0123456789abcde\n", 0, &cause) == -1 && p == NULL,
	    "a key of 15 bytes is refused");
	has_str(cause, "shorter than 16 bytes", "saying why");
	free(cause);
	ok(rule(&p, "0123456789abcdef\n", 0, &cause) == 0, "16 bytes are "
	    "enough");
	presenter_free(p);
	ok(rule(&p, "\n" KEY "\n", 0, &cause) == -1, "an empty first line is "
	    "refused");
	free(cause);
	fx_put_bytes(&fx, "rule.key", "0123456789\0abcdefgh\n", 20);
	p = NULL;
	cause = NULL;
	ok(presenter_create(&p, fx.dir, 0, NULL, NULL, &cause) == -1,
	    "a folder as the key file is refused");
	free(cause);
	cause = NULL;
	f = fx_path(&fx, "rule.key");
	ok(presenter_create(&p, f, 0, NULL, NULL, &cause) == -1,
	    "a key with a NUL byte is refused");
	free(cause);
	cause = NULL;
	free(f);
	f = fx_path(&fx, "no-such.key");
	ok(presenter_create(&p, f, 0, NULL, NULL, &cause) == -1,
	    "a missing key file is refused");
	has_str(cause, "no-such.key", "naming it");
	free(cause);
	free(f);
	presenter_free(NULL);
}

/* Without a key: off (fcgi: the routes do not exist), or open (the dev server on loopback). */
static void
test_off_and_open(void)
{
	struct presenter	*p;
	char			*cause;

	ok(rule(&p, NULL, 0, &cause) == 0 && !presenter_on(p), "no key, not "
	    "open: off");
	is_int(check(p, "Bearer " KEY, "a"), PRESENTER_OFF, "every request: off");
	presenter_free(p);
	ok(!presenter_on(NULL), "no rule at all: off");
	ok(rule(&p, NULL, 1, &cause) == 0 && presenter_on(p), "open");
	is_int(check(p, NULL, "a"), PRESENTER_OK, "open: no key needed");
	presenter_free(p);
	ok(rule(&p, KEY "\n", 1, &cause) == 0 && presenter_on(p), "a key and "
	    "open");
	is_int(check(p, NULL, "a"), PRESENTER_NO_KEY, "the key wins: it is "
	    "needed");
	presenter_free(p);
}

/* Authorization values: only Bearer and the exact key pass; each check from a fresh rule. */
static void
test_key_compare(void)
{
	static const struct {
		const char		*auth;
		enum presenter_access	 want;
		const char		*desc;
	} t[] = {
		{ "Bearer " KEY, PRESENTER_OK, "Bearer and the key" },
		{ "bearer " KEY, PRESENTER_OK, "the scheme in any case" },
		{ "Bearer   " KEY, PRESENTER_OK, "blanks after the scheme" },
		{ NULL, PRESENTER_NO_KEY, "no Authorization" },
		{ "", PRESENTER_NO_KEY, "an empty Authorization" },
		{ "Basic " KEY, PRESENTER_NO_KEY, "another scheme" },
		{ "Bearer" KEY, PRESENTER_NO_KEY, "no blank after Bearer" },
		{ "Bearer ", PRESENTER_WRONG, "Bearer and nothing" },
		{ "Bearer k3y-0123456789abcdef-presente", PRESENTER_WRONG,
		    "the key less its last byte" },
		{ "Bearer " KEY "r", PRESENTER_WRONG, "the key and one byte more" },
		{ "Bearer " KEY " ", PRESENTER_WRONG, "the key and a blank" },
		{ "Bearer K3Y-0123456789ABCDEF-PRESENTER", PRESENTER_WRONG,
		    "the key in capitals" },
		{ "Bearer k3y-0123456789abcdef-presenteR", PRESENTER_WRONG,
		    "the last byte differs" },
		{ "Bearer x3y-0123456789abcdef-presenter", PRESENTER_WRONG,
		    "the first byte differs" },
	};
	struct presenter	*p;
	char			*cause;
	size_t			 i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (rule(&p, KEY "\n", 0, &cause) != 0) {
			ok(0, "a rule: %s", cause);
			free(cause);
			return;
		}
		is_int(check(p, t[i].auth, "a"), t[i].want, "%s", t[i].desc);
		presenter_free(p);
	}
}

/* Five wrong keys a minute from one address: then 429, even for the right key, for that address alone. */
static void
test_rate_limit(void)
{
	struct presenter	*p;
	char			*cause;
	int			 i, wrong = 0;

	if (rule(&p, KEY "\n", 0, &cause) != 0) {
		ok(0, "a rule: %s", cause);
		return;
	}
	for (i = 0; i < 10; i++)
		if (check(p, "Bearer " KEY, "10.0.0.1") != PRESENTER_OK)
			break;
	ok(i == 10, "right keys are never counted");
	for (i = 0; i < 5; i++)
		wrong += check(p, "Bearer nope-nope-nope-nope", "10.0.0.1") ==
		    PRESENTER_WRONG;
	is_int(wrong, 5, "five wrong keys: 403 each");
	is_int(check(p, "Bearer " KEY, "10.0.0.1"), PRESENTER_LIMITED,
	    "the sixth try, with the right key: 429, without a compare");
	is_int(check(p, "Bearer nope", "10.0.0.1"), PRESENTER_LIMITED,
	    "a wrong key: 429");
	is_int(check(p, "Bearer " KEY, "10.0.0.2"), PRESENTER_OK,
	    "another address is not limited");
	is_int(check(p, "Bearer nope", "10.0.0.2"), PRESENTER_WRONG,
	    "and its wrong key is a 403");
	fake_now += 59;
	is_int(check(p, "Bearer " KEY, "10.0.0.1"), PRESENTER_LIMITED,
	    "59 s later, still 429");
	fake_now += 1;
	is_int(check(p, "Bearer " KEY, "10.0.0.1"), PRESENTER_OK,
	    "a minute later, the right key passes");
	for (i = 0; i < 4; i++)
		check(p, "Bearer nope", "10.0.0.1");
	is_int(check(p, "Bearer nope", "10.0.0.1"), PRESENTER_WRONG,
	    "and the count starts again (the fifth wrong key is still a 403)");
	is_int(check(p, "Bearer nope", "10.0.0.1"), PRESENTER_LIMITED,
	    "the sixth a 429");
	is_int(check(p, "Bearer nope", NULL), PRESENTER_WRONG,
	    "a request without an address is counted apart");
	presenter_free(p);
}

/* Wrong keys are logged at most once a minute, with the count of those not logged, never the key. */
static void
test_log(void)
{
	struct presenter	*p;
	char			*cause;
	int			 i, lines = 0;
	const char		*s;

	if (rule(&p, KEY "\n", 0, &cause) != 0) {
		ok(0, "a rule: %s", cause);
		return;
	}
	buf_reset(&logged);
	buf_adds(&logged, "");
	check(p, "Bearer " KEY, "10.0.0.9");
	is_int(logged.len, 0, "a right key is not logged");
	check(p, "Bearer guess-one", "10.0.0.9");
	has_str(logged.data, "a wrong presenter key for talk from 10.0.0.9 (0 "
	    "more", "a wrong key is logged with the deck and the address");
	for (i = 0; i < 20; i++) {
		fake_now += 1;
		check(p, "Bearer guess-two", i % 2 ? "10.0.0.9" : "10.0.0.8");
	}
	for (s = logged.data; (s = strchr(s, '\n')) != NULL; s++)
		lines++;
	is_int(lines, 1, "21 wrong keys in 21 s: one line");
	fake_now += 60;
	check(p, "Bearer guess-three", "10.0.0.7");
	has_str(logged.data, "from 10.0.0.7 (20 more since the last such line)",
	    "a minute later, one more line counting those not logged");
	ok(strstr(logged.data, "guess") == NULL && strstr(logged.data, KEY) ==
	    NULL, "no key, right or wrong, in the log");
	presenter_free(p);
}

/* The same-origin rule of a POST: Origin names the Host, Sec-Fetch-Site is same-origin. */
static void
test_same_origin(void)
{
	static const struct {
		const char	*host, *origin, *site;
		int		 want;
		const char	*desc;
	} t[] = {
		{ "example.org", NULL, NULL, 1, "neither header (curl, a clicker)" },
		{ "example.org", "https://example.org", NULL, 1, "the same host" },
		{ "example.org", "https://EXAMPLE.org", NULL, 1, "in any case" },
		{ "example.org:8080", "http://example.org:8080", NULL, 1,
		    "the same host and port" },
		{ "example.org", "https://example.org:8443", NULL, 1,
		    "a Host without a port (nginx's $host) and any port" },
		{ "[::1]:8080", "http://[::1]:8080", NULL, 1, "IPv6 with a port" },
		{ "[::1]", "http://[::1]:8080", NULL, 1, "IPv6, Host without a port" },
		{ "example.org", "https://evil.example", NULL, 0, "another host" },
		{ "example.org", "https://example.org.evil.example", NULL, 0,
		    "a host that starts with this one" },
		{ "example.org", "https://examp", NULL, 0, "a prefix of the host" },
		{ "example.org:8080", "http://example.org:9090", NULL, 0,
		    "another port" },
		{ "example.org:8080", "http://example.org", NULL, 0,
		    "no port against a port" },
		{ "example.org", "null", NULL, 0, "Origin null (a sandboxed page)" },
		{ NULL, "https://example.org", NULL, 0, "an Origin and no Host" },
		{ "example.org", NULL, "same-origin", 1, "Sec-Fetch-Site "
		    "same-origin" },
		{ "example.org", NULL, "same-site", 0, "same-site is another origin" },
		{ "example.org", NULL, "cross-site", 0, "cross-site" },
		{ "example.org", NULL, "none", 0, "none (typed in the address bar)" },
		{ "example.org", "https://example.org", "cross-site", 0,
		    "the right Origin but cross-site" },
	};
	struct request	 req;
	size_t		 i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		fx_request(&req, "POST", "/talk/position", NULL);
		req.host = t[i].host;
		req.origin = t[i].origin;
		req.fetch_site = t[i].site;
		is_int(presenter_same_origin(&req), t[i].want, "%s", t[i].desc);
	}
}

/* An application over the fixture's decks: a key file (or none) and open access. */
static struct app *
app_with(const char *keyfile, int open)
{
	struct app_config	 cfg;
	struct app		*a;
	char			*cause = NULL, *key = NULL, *state;

	fx_app_config(&fx, &cfg);
	/* Each application starts where no presenter has been. */
	fx_remove(&fx, "state/talk.position");
	state = fx_path(&fx, "state");
	if (keyfile != NULL)
		key = fx_path(&fx, keyfile);
	cfg.state_dir = state;
	cfg.presenter_key_file = key;
	cfg.presenter_open = open;
	cfg.log = log_line;
	if (app_create(&a, &cfg, &cause) != 0) {
		printf("#   app_create: %s\n", cause);
		free(cause);
		a = NULL;
	}
	free(state);
	free(key);
	return a;
}

/* Answers one request; the response in r (the caller frees it). */
static int
ask(struct app *a, struct response *r, const char *method, const char *path,
    const char *auth, const char *body)
{
	struct request	 req;

	fx_request(&req, method, path, NULL);
	req.host = "127.0.0.1:8080";
	req.authorization = auth;
	req.body = body;
	req.bodylen = body != NULL ? strlen(body) : 0;
	router_handle(a, &req, r);
	return r->status;
}

/* Returns 1 if a response's body holds a string. */
static int
body_has(const struct response *r, const char *s)
{
	return r->body != NULL && memmem(r->body, r->len, s, strlen(s)) != NULL;
}

/* Without a key on fcgi (not open), every presenter route is 404. */
static void
test_routes_off(void)
{
	static const char *get[] = { "/talk/presenter", "/talk/follow",
	    "/talk/notes", "/talk/position" };
	struct response	 r;
	struct app	*a;
	size_t		 i;

	if ((a = app_with(NULL, 0)) == NULL) {
		ok(0, "an application");
		return;
	}
	for (i = 0; i < sizeof get / sizeof get[0]; i++) {
		is_int(ask(a, &r, "GET", get[i], "Bearer " KEY, NULL), 404,
		    "no key configured: GET %s is 404", get[i]);
		response_free(&r);
	}
	is_int(ask(a, &r, "POST", "/talk/position", "Bearer " KEY,
	    "page=1&step=0"), 404, "and POST position is 404");
	response_free(&r);
	app_free(a);
}

/* With a key: the notes and the POST need it; the pages that hold no notes do not. */
static void
test_routes_access(void)
{
	struct response	 r;
	struct app	*a;

	fx_put(&fx, "routes.key", KEY "\n");
	if ((a = app_with("routes.key", 0)) == NULL) {
		ok(0, "an application");
		return;
	}
	is_int(ask(a, &r, "GET", "/talk/presenter", NULL, NULL), 200,
	    "the presenter view without a key: 200");
	ok(!body_has(&r, NOTE), "and without the notes");
	response_free(&r);
	is_int(ask(a, &r, "GET", "/talk/presenter", "Bearer wrong-wrong", NULL),
	    403, "with a wrong key: 403");
	response_free(&r);
	is_int(ask(a, &r, "GET", "/talk/follow", NULL, NULL), 200,
	    "the follow view: 200");
	ok(!body_has(&r, NOTE), "without the notes");
	response_free(&r);
	is_int(ask(a, &r, "GET", "/talk/notes", NULL, NULL), 401,
	    "the notes without a key: 401");
	is_str(r.www_authenticate, "Bearer", "asking for a Bearer key");
	ok(!body_has(&r, NOTE), "the 401 holds no notes");
	response_free(&r);
	is_int(ask(a, &r, "GET", "/talk/notes", "Bearer wrong-wrong", NULL), 403,
	    "with a wrong key: 403");
	ok(!body_has(&r, NOTE), "the 403 holds no notes");
	response_free(&r);
	is_int(ask(a, &r, "GET", "/talk/notes", "Bearer " KEY, NULL), 200,
	    "with the key: 200");
	ok(body_has(&r, NOTE) && body_has(&r, "expanded") &&
	    !body_has(&r, "_X_"), "the notes, their macros expanded");
	is_str(r.cache_control, "private, no-store", "never stored");
	response_free(&r);
	is_int(ask(a, &r, "POST", "/talk/position", NULL, "page=1"), 401,
	    "POST position without a key: 401");
	response_free(&r);
	is_int(ask(a, &r, "POST", "/talk/position", "Bearer wrong-wrong",
	    "page=1"), 403, "with a wrong key: 403");
	response_free(&r);
	app_free(a);
	if ((a = app_with(NULL, 1)) == NULL) {
		ok(0, "an open application");
		return;
	}
	is_int(ask(a, &r, "GET", "/talk/notes", NULL, NULL), 200,
	    "open (the dev server on loopback): the notes without a key");
	response_free(&r);
	app_free(a);
}

/* Reads the position as followers do; its JSON must hold want. */
static void
position_is(struct app *a, const char *want, const char *desc)
{
	struct response	 r;

	ask(a, &r, "GET", "/talk/position", NULL, NULL);
	ok(r.status == 200 && body_has(&r, want), "%s", desc);
	if (r.status != 200 || !body_has(&r, want))
		printf("#   %d %.*s", r.status, (int)r.len,
		    r.body != NULL ? r.body : "");
	response_free(&r);
}

/* POST bodies: page=N&step=S within the deck, each field once, nothing else. */
static void
test_post_forms(void)
{
	static const struct {
		const char	*body;
		const char	*desc;
	} bad[] = {
		{ "", "an empty body" },
		{ "step=1", "no page" },
		{ "page=", "an empty page" },
		{ "page=4", "a page past the deck (4 pages)" },
		{ "page=-1", "a negative page" },
		{ "page=+1", "a sign" },
		{ "page=01", "a leading zero" },
		{ "page=1.0", "a fraction" },
		{ "page=%31", "a percent-encoded digit" },
		{ "page=99999999999999999999999999", "a page that overflows" },
		{ "page=18446744073709551617", "ULONG_MAX + 2" },
		{ "page=1&step=", "an empty step" },
		{ "page=1&step=x", "a step that is not a number" },
		{ "page=1&step=1001", "a step past the largest" },
		{ "page=1&step=99999999999999999999999", "a step that overflows" },
		{ "page=1&page=2", "page twice" },
		{ "page=1&page=1", "page twice, the same" },
		{ "page=1&step=1&step=2", "step twice" },
		{ "Page=1", "Page in capitals" },
	};
	struct response	 r;
	struct request	 req;
	struct app	*a;
	size_t		 i;

	fx_put(&fx, "forms.key", KEY "\n");
	if ((a = app_with("forms.key", 0)) == NULL) {
		ok(0, "an application");
		return;
	}
	is_int(ask(a, &r, "POST", "/talk/position", "Bearer " KEY,
	    "page=2&step=1"), 200, "page=2&step=1: 200");
	ok(body_has(&r, "{\"page\":2,\"step\":1,\"total\":4}"), "answering the "
	    "position set");
	is_str(r.cache_control, "no-store", "not stored");
	response_free(&r);
	position_is(a, "{\"page\":2,\"step\":1,\"total\":4}", "GET reads it");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ask(a, &r, "POST", "/talk/position", "Bearer " KEY, bad[i].body);
		ok(r.status == 400 && body_has(&r, FORM_ERROR), "%s (%s): 400 "
		    "saying the form", bad[i].desc, bad[i].body);
		response_free(&r);
	}
	position_is(a, "{\"page\":2,\"step\":1,", "none of them moved the "
	    "position");
	is_int(ask(a, &r, "POST", "/talk/position", "Bearer " KEY, NULL), 400,
	    "no body at all: 400");
	response_free(&r);
	fx_request(&req, "POST", "/talk/position", NULL);
	req.host = "127.0.0.1:8080";
	req.authorization = "Bearer " KEY;
	req.body = "page=1";
	req.bodylen = 6;
	req.body_too_long = 1;
	router_handle(a, &req, &r);
	is_int(r.status, 413, "a body cut at the limit: 413");
	response_free(&r);
	is_int(ask(a, &r, "POST", "/talk/position", "Bearer " KEY, "page=3"),
	    200, "page alone: 200");
	response_free(&r);
	position_is(a, "{\"page\":3,\"step\":0,", "step 0");
	is_int(ask(a, &r, "POST", "/talk/position", "Bearer " KEY,
	    "step=2&other=x&page=0"), 200, "fields in any order, others "
	    "ignored: 200");
	response_free(&r);
	position_is(a, "{\"page\":0,\"step\":2,", "read back");
	is_int(ask(a, &r, "POST", "/talk/position", "Bearer " KEY,
	    "page=0&step=1000"), 200, "the largest step: 200");
	response_free(&r);
	is_int(ask(a, &r, "POST", "/talk/notes", "Bearer " KEY, "page=0"), 405,
	    "POST elsewhere: 405");
	response_free(&r);
	app_free(a);
}

/* A position POST from another site's page is refused, the key notwithstanding. */
static void
test_post_origin(void)
{
	struct response	 r;
	struct request	 req;
	struct app	*a;

	fx_put(&fx, "origin.key", KEY "\n");
	if ((a = app_with("origin.key", 0)) == NULL) {
		ok(0, "an application");
		return;
	}
	fx_request(&req, "POST", "/talk/position", NULL);
	req.host = "127.0.0.1:8080";
	req.authorization = "Bearer " KEY;
	req.body = "page=1";
	req.bodylen = 6;
	req.origin = "http://evil.example";
	router_handle(a, &req, &r);
	ok(r.status == 403 && body_has(&r, "own pages"), "another Origin: 403");
	response_free(&r);
	req.origin = NULL;
	req.fetch_site = "cross-site";
	router_handle(a, &req, &r);
	is_int(r.status, 403, "Sec-Fetch-Site cross-site: 403");
	response_free(&r);
	position_is(a, "{\"page\":0,\"step\":0,", "the position did not move");
	req.origin = "http://127.0.0.1:8080";
	req.fetch_site = "same-origin";
	router_handle(a, &req, &r);
	is_int(r.status, 200, "the same origin: 200");
	response_free(&r);
	position_is(a, "{\"page\":1,", "and it moved");
	app_free(a);
}

/* GET position: validators that change with the answer, a lifetime of a second. */
static void
test_position_validators(void)
{
	struct response	 r;
	struct request	 req;
	struct app	*a;
	struct timespec	 before, after;
	char		 e1[24], e2[24];

	fx_put(&fx, "tags.key", KEY "\n");
	if ((a = app_with("tags.key", 0)) == NULL) {
		ok(0, "an application");
		return;
	}
	ask(a, &r, "POST", "/talk/position", "Bearer " KEY, "page=1&step=0");
	response_free(&r);
	/* The exact clock, as nginx reads it: time() may lag it by a tick. */
	clock_gettime(CLOCK_REALTIME, &before);
	ask(a, &r, "GET", "/talk/position", NULL, NULL);
	clock_gettime(CLOCK_REALTIME, &after);
	ok(r.status == 200 && r.etag[0] == '"' && r.mtime != 0, "an ETag and "
	    "a Last-Modified");
	is_str(r.cache_control, "public, max-age=1", "kept a second");
	ok(r.accel_expires >= before.tv_sec && r.accel_expires <= after.tv_sec,
	    "X-Accel-Expires: the current second, read exactly");
	ok(!body_has(&r, NOTE), "no notes in the position");
	memcpy(e1, r.etag, sizeof e1);
	response_free(&r);
	fx_request(&req, "GET", "/talk/position", NULL);
	req.if_none_match = e1;
	router_handle(a, &req, &r);
	ok(r.status == 304 && !r.send_body, "If-None-Match with it: 304");
	response_free(&r);
	ask(a, &r, "POST", "/talk/position", "Bearer " KEY, "page=1&step=1");
	response_free(&r);
	ask(a, &r, "GET", "/talk/position", NULL, NULL);
	memcpy(e2, r.etag, sizeof e2);
	ok(strcmp(e1, e2) != 0, "a new step: a new ETag");
	response_free(&r);
	router_handle(a, &req, &r);
	ok(r.status == 200 && body_has(&r, "\"step\":1"), "the old ETag gets "
	    "the new position");
	response_free(&r);
	ask(a, &r, "POST", "/talk/position", "Bearer " KEY, "page=2&step=1");
	response_free(&r);
	ask(a, &r, "GET", "/talk/position", NULL, NULL);
	ok(strcmp(r.etag, e2) != 0 && strcmp(r.etag, e1) != 0,
	    "a new page: a new ETag");
	response_free(&r);
	/* The file as a worker of a longer version of the deck left it. */
	ok(fx_put(&fx, "state/talk.position", "9 2\n") == 0, "a position past "
	    "the deck's end");
	position_is(a, "{\"page\":3,\"step\":0,\"total\":4}", "is read as the "
	    "last page");
	ask(a, &r, "GET", "/talk/position", NULL, NULL);
	memcpy(e1, r.etag, sizeof e1);
	response_free(&r);
	fx_put(&fx, "talk.drf", "#title Presenter test\n--- One\n--- Two\n"
	    "--- Three\n--- Four\n--- Five\n");
	position_is(a, "\"total\":4}", "the deck grew: the position answers "
	    "from the version held, without looking at the file");
	ask(a, &r, "GET", "/talk/0", NULL, NULL);
	is_int(r.status, 200, "a page of the deck loads the new version");
	response_free(&r);
	ask(a, &r, "GET", "/talk/position", NULL, NULL);
	ok(r.status == 200 && body_has(&r, "\"total\":5"), "then the position "
	    "counts its pages");
	ok(strcmp(r.etag, e1) != 0, "a new page count: a new ETag");
	response_free(&r);
	app_free(a);
}

/*
 * The dev server shows the author a deck's error on every page, but the
 * followers' position keeps answering from the last good version (it never
 * loads the deck while one is held), and a deck never loaded is loaded.
 */
static void
test_position_held(void)
{
	struct app_config	 cfg;
	struct response		 r;
	struct app		*a;
	char			*cause = NULL;

	fx_app_config(&fx, &cfg);
	cfg.dev = 1;
	cfg.presenter_open = 1;
	fx_put(&fx, "held.drf", "#title Held\n--- One\n--- Two\n");
	if (app_create(&a, &cfg, &cause) != 0) {
		ok(0, "a dev application: %s", cause);
		free(cause);
		return;
	}
	ask(a, &r, "GET", "/held/position", NULL, NULL);
	ok(r.status == 200 && body_has(&r, "\"total\":2}"), "a deck not held "
	    "yet is loaded for its position");
	response_free(&r);
	is_int(ask(a, &r, "POST", "/held/position", NULL, "page=1"), 200,
	    "the position set (open: no key)");
	response_free(&r);
	/* A NUL byte: the deck does not load. */
	fx_put_bytes(&fx, "held.drf", "#title Held\n--- One\n\0\n--- Two\n", 30);
	fx_touch(&fx, "held.drf", time(NULL) + 5, 0);
	ask(a, &r, "GET", "/held/0", NULL, NULL);
	ok(r.status != 200 || !body_has(&r, "data-page=\"0\""), "the deck is "
	    "broken now: the dev server shows the author its error (%d)",
	    r.status);
	response_free(&r);
	ask(a, &r, "GET", "/held/position", NULL, NULL);
	ok(r.status == 200 && body_has(&r, "{\"page\":1,\"step\":0,"
	    "\"total\":2}") && strcmp(r.content_type, "application/json") == 0,
	    "the followers' position still answers, as JSON");
	response_free(&r);
	app_free(a);
	fx_remove(&fx, "held.drf");
}

/*
 * A deck in a course folder: its position too is answered from the version
 * held, without looking at the file, until a page loads the new one.
 */
static void
test_position_held_nested(void)
{
	struct app_config	 cfg;
	struct response		 r;
	struct app		*a;
	char			*cause = NULL;

	fx_app_config(&fx, &cfg);
	cfg.presenter_open = 1;
	fx_mkdir(&fx, "course");
	fx_put(&fx, "course/held.drf", "#title Held\n--- One\n--- Two\n");
	if (app_create(&a, &cfg, &cause) != 0) {
		ok(0, "an application: %s", cause);
		free(cause);
		return;
	}
	ask(a, &r, "GET", "/course/held/position", NULL, NULL);
	ok(r.status == 200 && body_has(&r, "\"total\":2}"), "a nested deck "
	    "not held yet is loaded for its position");
	response_free(&r);
	fx_put(&fx, "course/held.drf", "#title Held\n--- One\n--- Two\n"
	    "--- Three\n");
	fx_touch(&fx, "course/held.drf", time(NULL) + 5, 0);
	ask(a, &r, "GET", "/course/held/position", NULL, NULL);
	ok(r.status == 200 && body_has(&r, "\"total\":2}"), "the nested deck "
	    "grew: its position answers from the version held");
	response_free(&r);
	ask(a, &r, "GET", "/course/held/0", NULL, NULL);
	is_int(r.status, 200, "a page of it loads the new version");
	response_free(&r);
	ask(a, &r, "GET", "/course/held/position", NULL, NULL);
	ok(r.status == 200 && body_has(&r, "\"total\":3}"), "then its "
	    "position counts its pages");
	response_free(&r);
	app_free(a);
	fx_remove(&fx, "course/held.drf");
}

/*
 * A deck without pages: the presentation, the presenter view and a
 * follower's view each say so, in the deck's language, and lead to its view.
 */
static void
test_no_pages(void)
{
	static const char *docs[] = { "present", "presenter", "follow" };
	static const struct {
		const char	*deck, *text, *desc;
	} decks[] = {
		{ "#title Empty & <deck>\n", "<main class=\"view-empty\">\n"
		    "<h1><a href=\"view\">Empty &amp; &lt;deck&gt;</a></h1>\n"
		    "<p>This deck has no pages yet.</p>\n</main>\n</body>",
		    "in English, its title escaped, as the heading" },
		{ "#title Leer\n#lang ja\n", "<main class=\"view-empty\">\n"
		    "<h1><a href=\"view\">Leer</a></h1>\n"
		    "<p>このデッキにはまだページがありません。</p>\n</main>\n</body>",
		    "in a Japanese deck's language" },
	};
	struct response		 r;
	struct app		*a;
	char			*path;
	size_t			 i, j;

	if ((a = app_with(NULL, 1)) == NULL) {
		ok(0, "an application");
		return;
	}
	for (i = 0; i < sizeof decks / sizeof decks[0]; i++) {
		fx_put(&fx, "empty.drf", decks[i].deck);
		fx_touch(&fx, "empty.drf", time(NULL) + 5 * (time_t)(i + 1), 0);
		for (j = 0; j < sizeof docs / sizeof docs[0]; j++) {
			path = xasprintf("/empty/%s", docs[j]);
			ask(a, &r, "GET", path, NULL, NULL);
			ok(r.status == 200 && body_has(&r, decks[i].text) &&
			    !body_has(&r, "slide-frame"), "no pages: %s says so "
			    "%s", path, decks[i].desc);
			response_free(&r);
			free(path);
		}
	}
	app_free(a);
	fx_remove(&fx, "empty.drf");
}

static const struct tap_case cases[] = {
	TAP_CASE(test_key_file),
	TAP_CASE(test_off_and_open),
	TAP_CASE(test_key_compare),
	TAP_CASE(test_rate_limit),
	TAP_CASE(test_log),
	TAP_CASE(test_same_origin),
	TAP_CASE(test_routes_off),
	TAP_CASE(test_routes_access),
	TAP_CASE(test_post_forms),
	TAP_CASE(test_post_origin),
	TAP_CASE(test_position_validators),
	TAP_CASE(test_position_held),
	TAP_CASE(test_position_held_nested),
	TAP_CASE(test_no_pages),
};

int
main(void)
{
	char	*deck, *cause = NULL, *text;
	size_t	 len;
	int	 rc;

	if (fx_init(&fx, "presenter") != 0 || fx_mkdir(&fx, "state") != 0) {
		printf("Bail out! the decks directory\n");
		return 99;
	}
	deck = xasprintf("%s/tests/data/presenter/talk.drf",
	    getenv("top_srcdir") != NULL ? getenv("top_srcdir") : ".");
	if (util_read_file(deck, 1 << 20, &text, &len, &cause) != 0 ||
	    fx_put_bytes(&fx, "talk.drf", text, len) != 0) {
		printf("Bail out! %s\n", cause != NULL ? cause : "talk.drf");
		return 99;
	}
	free(text);
	free(deck);
	rc = tap_run_cases(cases);
	buf_free(&logged);
	if (fx_done(&fx) != 0)
		return 99;
	return rc;
}
